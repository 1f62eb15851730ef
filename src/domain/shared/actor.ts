/** The roles a bearer token may carry. Clerks and officials act for one council. */
export const ROLES = ['citizen', 'agent', 'association_rep', 'clerk', 'official', 'auditor', 'admin', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

/** `system`: the service's own scheduled processes (deadline watch, threshold check); never in a token. */
export type ActorRole = Role | 'system';

/** The authenticated person behind a command: recorded on every event they cause. */
export interface Actor {
  id: string;
  roles: ActorRole[];
  /** For clerks and officials: the council they act for. */
  councilId?: string;
  /**
   * The identity number (CNIE) the identity provider attests for this person (`cin` claim),
   * normalised. Never stored: it only decides whose signature an online request is.
   */
  identityNumber?: string;
  /** The full name and postal address the identity provider attests (`name`, `address` claims). Never stored in clear. */
  attested?: { name?: string; address?: string };
}

export const hasRole = (actor: Actor, ...roles: ActorRole[]): boolean => actor.roles.some((r) => roles.includes(r));

/** The role recorded on an event: the first of the actor's roles that allowed the command. */
export const actingRole = (actor: Actor, allowed: readonly ActorRole[]): ActorRole =>
  actor.roles.find((r) => allowed.includes(r)) ?? actor.roles[0] ?? 'citizen';

export const systemActor = (process: string): Actor => ({ id: `system:${process}`, roles: ['system'] });
