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

/**
 * The base of a command class: the plain values it is built with, copied and read-only. A command
 * declares only what it is (its name and roles, as static members) and the shape of its values:
 *
 *   export class CloseThreadCommand extends commandOf<CloseThreadProps>() {
 *     static readonly commandName = 'CloseThread';
 *     static readonly roles = ['citizen', 'official', 'admin'] as const;
 *   }
 */
export function commandOf<P extends object>(): new (props: P) => Readonly<P> {
  return class {
    constructor(props: P) {
      Object.assign(this, props);
    }
  } as new (props: P) => Readonly<P>;
}
