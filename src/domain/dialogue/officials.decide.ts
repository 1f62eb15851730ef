/**
 * The officials' registry of one council (stream `officials-<councilId>`): decide → events, evolve,
 * and the rule every dialogue command relies on — a token acts as an official only if its `sub`
 * is linked to an official of the token's council whose term is current.
 */
import { Actor, hasRole } from '../shared/actor';
import { conflict, DomainError, forbidden, refused } from '../shared/domain-error';
import { requireNoIdentityNumber } from './text-rules';
import type { OfficialRegistered, OfficialRole, OfficialsEvent } from './dialogue.events';

export interface Official {
  officialId: string;
  councilId: string;
  name: { ar: string; fr: string };
  role: OfficialRole;
  committee: string | null;
  party: string | null;
  termStart: string;
  termEnd: string;
  accountSub: string;
}

export interface OfficialsRegistry {
  councilId: string | null;
  officials: Record<string, Official>;
}

export const initialOfficialsRegistry: OfficialsRegistry = { councilId: null, officials: {} };

export type OfficialsCommand =
  | ({ type: 'RegisterOfficial' } & Omit<OfficialRegistered['data'], 'registeredAt'>)
  | { type: 'EndOfficialTerm'; councilId: string; officialId: string; endedOn: string };

export interface OfficialsContext {
  actor: Actor;
  now: string;
  councilExists: (councilId: string) => boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The calendar day of an instant in Morocco (UTC+1 all year, save during Ramadan: the day boundary is what matters). */
export const moroccanDay = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString().slice(0, 10);

export const termIsCurrent = (o: Official, now: string) => {
  const today = moroccanDay(now);
  return o.termStart <= today && today <= o.termEnd;
};

function requireRegistrar(actor: Actor, councilId: string): void {
  if (hasRole(actor, 'admin')) return;
  if (hasRole(actor, 'clerk') && actor.councilId === councilId) return;
  throw forbidden('NOT_COUNCIL_STAFF', `Only an admin or a clerk of ${councilId} manages its officials`);
}

export function decideOfficials(command: OfficialsCommand, state: OfficialsRegistry, ctx: OfficialsContext): OfficialsEvent[] {
  requireRegistrar(ctx.actor, command.councilId);
  if (!ctx.councilExists(command.councilId)) throw new DomainError('COUNCIL_NOT_FOUND', `No council ${command.councilId}`, 'not_found');
  if (command.type === 'RegisterOfficial') {
    if (!isDate(command.termStart) || !isDate(command.termEnd) || command.termEnd < command.termStart) {
      throw refused('INVALID_TERM', 'The term must be two calendar dates (YYYY-MM-DD), its end on or after its start');
    }
    requireNoIdentityNumber({ 'name.ar': command.name.ar, 'name.fr': command.name.fr, committee: command.committee, party: command.party });
    if (state.officials[command.officialId]) throw conflict('OFFICIAL_ALREADY_REGISTERED', 'This official is already registered');
    const linked = Object.values(state.officials).find(
      (o) => o.accountSub === command.accountSub && o.termEnd >= command.termStart && o.termStart <= command.termEnd,
    );
    if (linked) throw conflict('ACCOUNT_ALREADY_LINKED', 'This account is already linked to an official of the council for an overlapping term');
    const { type: _type, ...data } = command;
    return [{ type: 'OfficialRegistered', data: { ...data, registeredAt: ctx.now } }];
  }
  const official = state.officials[command.officialId];
  if (!official) throw new DomainError('OFFICIAL_NOT_FOUND', `No official ${command.officialId} in ${command.councilId}`, 'not_found');
  if (!isDate(command.endedOn) || command.endedOn < official.termStart) throw refused('INVALID_TERM', 'The term ends on a date (YYYY-MM-DD) after it started');
  if (command.endedOn >= official.termEnd) throw conflict('TERM_ALREADY_ENDS', `The term already ends on ${official.termEnd}`);
  return [
    { type: 'OfficialTermEnded', data: { officialId: official.officialId, councilId: official.councilId, endedOn: command.endedOn, recordedAt: ctx.now } },
  ];
}

export function evolveOfficials(state: OfficialsRegistry, event: OfficialsEvent): OfficialsRegistry {
  switch (event.type) {
    case 'OfficialRegistered': {
      const { registeredAt: _at, ...official } = event.data;
      return { councilId: event.data.councilId, officials: { ...state.officials, [official.officialId]: official } };
    }
    case 'OfficialTermEnded': {
      const o = state.officials[event.data.officialId];
      return o ? { ...state, officials: { ...state.officials, [o.officialId]: { ...o, termEnd: event.data.endedOn } } } : state;
    }
    default:
      return state;
  }
}

/**
 * The official this actor acts as in `councilId`: the token carries the official role for that
 * council and its `sub` is linked to an official of the registry whose term is current.
 */
export function actingOfficial(actor: Actor, councilId: string, registry: OfficialsRegistry, now: string): Official {
  if (!hasRole(actor, 'official')) throw forbidden('ROLE_NOT_ALLOWED', 'Only an official may do this');
  if (actor.councilId !== councilId) throw forbidden('NOT_COUNCIL_OFFICIAL', `Only an official of ${councilId} may do this`);
  const official = Object.values(registry.officials).find((o) => o.accountSub === actor.id && termIsCurrent(o, now));
  if (!official) throw forbidden('NOT_REGISTERED_OFFICIAL', `This account is not linked to an official of ${councilId} in office`);
  return official;
}
