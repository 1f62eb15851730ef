/**
 * What a command is, declared once next to it: the name recorded on its events and the roles
 * that may issue it. The HTTP route guards with `roles`; the application records `commandName`
 * and the acting role (the first of the actor's roles among `roles`) in every event's metadata.
 *
 * A command class satisfies it through static members, so the class itself is passed around:
 *
 *   export class ClosePetitionCommand {
 *     static readonly commandName = 'ClosePetition';
 *     static readonly roles = ['clerk', 'official', 'admin'] as const;
 *     ...
 *   }
 *   @Roles(...ClosePetitionCommand.roles)                              // the route
 *   this.petitions.run(ClosePetitionCommand, petitionId, command, metadata) // the handler
 */
import type { ActorRole } from '../domain/shared/actor';

export interface CommandDefinition {
  /** Recorded as `command` in the metadata of every event it appends. */
  readonly commandName: string;
  /** Who may issue it. */
  readonly roles: readonly ActorRole[];
}
