/**
 * Stored event types carry their schema version: `PetitionFiled.v1`. A stored event's meaning
 * never changes; a new meaning gets a new version, and an upcaster here turns older versions
 * into the current shape when they are read. Subscriptions filter on the stored names.
 */
import type { PetitionEvent } from './petition/petition.events';
import type { SignatureEvent } from './signature/signature.events';
import type { InvalidationEvent } from './signature/invalidation.events';
import type { VaultEvent } from './vault/vault.events';
import type { AuditEvent } from './audit/checkpoint';
import type { DialogueEvent } from './dialogue/dialogue.events';

export type DomainEvent = PetitionEvent | SignatureEvent | InvalidationEvent | VaultEvent | AuditEvent | DialogueEvent;
export type DomainEventType = DomainEvent['type'];

export const CURRENT_VERSION: Record<DomainEventType, number> = {
  PetitionFiled: 2,
  PetitionSigned: 2,
  SignatureWithdrawn: 1,
  SignatureThresholdReached: 1,
  PetitionSubmittedToCouncil: 1,
  PetitionDeclaredAdmissible: 2,
  PetitionDeclaredInadmissible: 1,
  OfficialResponseRecorded: 1,
  PetitionWithdrawn: 1,
  ResponseDeadlineMissed: 1,
  PetitionClosed: 1,
  SignaturesInvalidated: 1,
  SignaturesReinstated: 1,
  SignatoryListDownloaded: 1,
  SignatoryDataErased: 1,
  SignatoryDataShredded: 1,
  AgendaSessionMissed: 1,
  AuditCheckpointSigned: 1,
  OfficialRegistered: 1,
  OfficialTermEnded: 1,
  ThreadOpened: 1,
  MessagePosted: 1,
  CouncilAnswerMarked: 1,
  CommitmentMade: 1,
  CommitmentKept: 1,
  CommitmentMissed: 1,
  MessageHidden: 1,
  MessageRestored: 1,
  ThreadClosed: 1,
  ThreadEscalated: 1,
  PetitionLinkedToThread: 1,
  PositionStated: 1,
  FollowStarted: 1,
  FollowStopped: 1,
};

/** Upcasters by stored type: `X.vN` → the data of `X.vN+1`. */
const UPCASTERS: Record<string, (data: Record<string, unknown>) => Record<string, unknown>> = {
  // v1 recorded no declared documents: null says "not declared", never "none attached".
  'PetitionFiled.v1': (data) => ({ ...data, declaredDocuments: null }),
  // v1 stored `electoralListRegistered: true`: the signer declared being registered, which v2 names as such.
  // v2 also records paper sheets as numbers (`paperSheet`) and the sealed particulars (`signatory`): a
  // v1 event keeps its free-text `paperSheetRef` exactly as stored, and has no sealed particulars.
  'PetitionSigned.v1': ({ electoralListRegistered: _registered, ...data }) => ({ ...data, electoralEligibility: 'registered' }),
  // v1 decisions named their session in words only: no computed target session.
  'PetitionDeclaredAdmissible.v1': (data) => ({ ...data, targetSession: null }),
};

export const storedType = (type: DomainEventType): string => `${type}.v${CURRENT_VERSION[type]}`;

/** Every stored name of a domain type, oldest first — for subscription filters. */
export const storedTypesOf = (...types: DomainEventType[]): string[] =>
  types.flatMap((t) => Array.from({ length: CURRENT_VERSION[t] }, (_, i) => `${t}.v${i + 1}`));

export function parseStoredType(stored: string): { type: DomainEventType; version: number } | null {
  const m = /^([A-Za-z]+)\.v(\d+)$/.exec(stored);
  // Own keys only: `in` would also accept Object.prototype names (constructor.v1, toString.v1).
  if (!m || !Object.prototype.hasOwnProperty.call(CURRENT_VERSION, m[1])) return null;
  return { type: m[1] as DomainEventType, version: Number(m[2]) };
}

/** A stored event as the current domain shape, upcasting older versions; null for foreign types. */
export function toDomainEvent(stored: string, data: Record<string, unknown>): DomainEvent | null {
  const parsed = parseStoredType(stored);
  if (!parsed) return null;
  let { version } = parsed;
  let current = data;
  while (version < CURRENT_VERSION[parsed.type]) {
    const up = UPCASTERS[`${parsed.type}.v${version}`];
    if (!up) throw new Error(`No upcaster from ${parsed.type}.v${version}`);
    current = up(current);
    version += 1;
  }
  return { type: parsed.type, data: current } as DomainEvent;
}

const PETITION_SIDE = new Set<string>([
  'PetitionFiled',
  'PetitionSigned',
  'SignatureWithdrawn',
  'SignatureThresholdReached',
  'PetitionSubmittedToCouncil',
  'PetitionDeclaredAdmissible',
  'PetitionDeclaredInadmissible',
  'OfficialResponseRecorded',
  'PetitionWithdrawn',
  'ResponseDeadlineMissed',
  'PetitionClosed',
  'AgendaSessionMissed',
]);

/** The petition's lifecycle and signature events (not the dialogue's, even those naming a petition). */
export const isPetitionSideEvent = <E extends DomainEvent>(event: E): event is Extract<E, PetitionEvent | SignatureEvent> => PETITION_SIDE.has(event.type);
