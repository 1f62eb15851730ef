/**
 * The fraud-check decider, over a petition's invalidation stream and its lifecycle state.
 *
 * A clerk of the petition's council (or an admin) invalidates the signatures that match criteria,
 * with a reason code, and may reinstate them. The candidates come in with what their own signer
 * streams say now (`SignatureOnRecord`): the decider keeps only those that match the criteria on
 * those facts, are counted, and are not already invalidated, and lists them in the one event.
 */
import { hasRole } from '../shared/actor';
import { conflict, DomainError, forbidden, refused } from '../shared/domain-error';
import type { DecisionContext } from '../petition/petition.commands';
import { existing } from '../petition/petition.decide';
import type { PetitionIn, PetitionState } from '../petition/petition.state';
import { INVALIDATION_REASON_CODES, REINSTATEMENT_REASON_CODES } from './invalidation-reasons';
import { InvalidationCriteria, InvalidationEvent, ListedSignature, provinceCountsOf } from './invalidation.events';
import type { SignatureChannel } from './signature.events';

export interface InvalidationState {
  /** Every invalidation decided on the petition, with the signatures it listed. */
  invalidations: Record<string, { reasonCode: string; signatureIds: string[] }>;
  /** Signatures invalidated now → the invalidation that did it. */
  invalidated: Record<string, string>;
}

export const initialInvalidationState: InvalidationState = { invalidations: {}, invalidated: {} };

export function evolveInvalidation(state: InvalidationState, event: InvalidationEvent): InvalidationState {
  const invalidated = { ...state.invalidated };
  if (event.type === 'SignaturesInvalidated') {
    const d = event.data;
    for (const s of d.signatures) invalidated[s.signatureId] = d.invalidationId;
    return {
      invalidations: { ...state.invalidations, [d.invalidationId]: { reasonCode: d.reasonCode, signatureIds: d.signatures.map((s) => s.signatureId) } },
      invalidated,
    };
  }
  for (const s of event.data.signatures) if (invalidated[s.signatureId] === event.data.invalidationId) delete invalidated[s.signatureId];
  return { ...state, invalidated };
}

/** A candidate signature as its signer stream records it at decision time. */
export interface SignatureOnRecord {
  signatureId: string;
  signerHash: string;
  channel: SignatureChannel;
  provinceId?: string;
  /**
   * Paper: the number of the sheet it was entered from (PetitionSigned.v2). A PetitionSigned.v1
   * paper signature has only a free-text reference: it has no sheet number, so a sheet criterion
   * never matches it (a reference is not parsed for a number; narrow by time or ids instead).
   */
  paperSheet?: number;
  signedAt: string;
  /** Global position of its PetitionSigned event (decimal string). */
  signedPosition: string;
  /** Still the signer's signature: not withdrawn, not replaced by a later one. */
  standing: boolean;
}

export type InvalidationCommand =
  | {
      type: 'InvalidateSignatures';
      invalidationId: string;
      reasonCode: string;
      criteria: InvalidationCriteria;
      candidates: SignatureOnRecord[];
      /** One decision lists at most this many signatures: narrow the criteria for more. */
      maxSignatures: number;
    }
  | {
      type: 'ReinstateSignatures';
      invalidationId: string;
      reasonCode: string;
      /** A part of the invalidation; all of it when absent. */
      signatureIds?: string[];
      candidates: SignatureOnRecord[];
    };

export function hasCriteria(c: InvalidationCriteria): boolean {
  return Boolean(c.signedFrom || c.signedBefore || c.channel || c.provinceId || c.paperSheet !== undefined || c.signatureIds?.length);
}

export function matchesCriteria(
  s: Pick<SignatureOnRecord, 'signatureId' | 'channel' | 'provinceId' | 'paperSheet' | 'signedAt'>,
  c: InvalidationCriteria,
): boolean {
  const at = Date.parse(s.signedAt);
  return (
    (!c.signedFrom || at >= Date.parse(c.signedFrom)) &&
    (!c.signedBefore || at < Date.parse(c.signedBefore)) &&
    (!c.channel || s.channel === c.channel) &&
    (!c.provinceId || s.provinceId === c.provinceId) &&
    (c.paperSheet === undefined || (s.channel === 'paper' && s.paperSheet === c.paperSheet)) &&
    (!c.signatureIds?.length || c.signatureIds.includes(s.signatureId))
  );
}

const listed = (s: SignatureOnRecord): ListedSignature => ({
  signatureId: s.signatureId,
  signerHash: s.signerHash,
  ...(s.provinceId ? { provinceId: s.provinceId } : {}),
});

/**
 * Who may check a petition's signatures, and until when: a clerk of its council or an admin, while
 * it collects or, once submitted, until the bureau's admissibility decision. Returns the petition.
 */
export function requireSignatureCheck(petitionState: PetitionState, ctx: DecisionContext): PetitionIn<'collecting' | 'submitted'> {
  const petition = existing(petitionState);
  const { actor } = ctx;
  // Officials decide; clerks check the signatures (and admins act on fraud across councils).
  if (!hasRole(actor, 'admin')) {
    if (!hasRole(actor, 'clerk')) throw forbidden('ROLE_NOT_ALLOWED', "Only a clerk of the petition's council or an admin checks signatures");
    if (actor.councilId !== petition.councilId) {
      throw forbidden('NOT_COUNCIL_STAFF', `This petition is addressed to ${petition.councilId}; the token acts for ${actor.councilId ?? 'no council'}`);
    }
  }
  if (petition.status !== 'collecting' && petition.status !== 'submitted') {
    throw conflict('SIGNATURES_FINAL', `Signatures are checked until the admissibility decision; the petition is ${petition.status}`, {
      status: petition.status,
    });
  }
  return petition;
}

export function decideInvalidation(
  command: InvalidationCommand,
  state: InvalidationState,
  petitionState: PetitionState,
  ctx: DecisionContext,
): InvalidationEvent[] {
  const petition = requireSignatureCheck(petitionState, ctx);
  const cutOff = petition.status === 'submitted' ? BigInt(petition.countedUpToPosition) : null;
  /** Counted now: still standing and, once submitted, part of the submitted count. */
  const counted = (s: SignatureOnRecord) => s.standing && (cutOff === null || BigInt(s.signedPosition) <= cutOff);
  const unique = (candidates: SignatureOnRecord[]) => [...new Map(candidates.map((c) => [c.signatureId, c])).values()];

  if (command.type === 'InvalidateSignatures') {
    if (!INVALIDATION_REASON_CODES.includes(command.reasonCode as never)) {
      throw refused('UNKNOWN_REASON_CODE', `Unknown reason code: ${command.reasonCode}`, { known: INVALIDATION_REASON_CODES });
    }
    const c = command.criteria;
    if (!hasCriteria(c)) throw refused('CRITERIA_REQUIRED', 'Name at least one criterion: a time window, channel, province, paper sheet or signature ids');
    if (c.signedFrom && c.signedBefore && !(Date.parse(c.signedFrom) < Date.parse(c.signedBefore))) {
      throw refused('TIME_WINDOW_EMPTY', 'signedFrom must be before signedBefore');
    }
    const matched = unique(command.candidates)
      .filter((s) => matchesCriteria(s, c) && counted(s) && !state.invalidated[s.signatureId])
      .sort((a, b) => (a.signatureId < b.signatureId ? -1 : 1));
    if (matched.length === 0) throw refused('NO_SIGNATURES_MATCHED', 'No counted signature matches these criteria');
    if (matched.length > command.maxSignatures) {
      throw refused(
        'TOO_MANY_SIGNATURES_MATCHED',
        `More than ${command.maxSignatures} signatures match; one decision invalidates at most ${command.maxSignatures}: narrow the criteria`,
        {
          max: command.maxSignatures,
        },
      );
    }
    const signatures = matched.map(listed);
    const provinceCounts = provinceCountsOf(signatures);
    return [
      {
        type: 'SignaturesInvalidated',
        data: {
          petitionId: petition.id,
          invalidationId: command.invalidationId,
          reasonCode: command.reasonCode,
          criteria: c,
          signatures,
          count: signatures.length,
          ...(provinceCounts ? { provinceCounts } : {}),
          petitionStatus: petition.status,
          invalidatedAt: ctx.now,
        },
      },
    ];
  }

  if (!REINSTATEMENT_REASON_CODES.includes(command.reasonCode as never)) {
    throw refused('UNKNOWN_REASON_CODE', `Unknown reason code: ${command.reasonCode}`, { known: REINSTATEMENT_REASON_CODES });
  }
  const invalidation = state.invalidations[command.invalidationId];
  if (!invalidation) throw new DomainError('INVALIDATION_NOT_FOUND', 'No such invalidation on this petition', 'not_found');
  const inInvalidation = new Set(invalidation.signatureIds);
  const outside = (command.signatureIds ?? []).filter((id) => !inInvalidation.has(id));
  if (outside.length) {
    throw refused('SIGNATURE_NOT_IN_INVALIDATION', `${outside.length} of the signatures named were not invalidated by this decision`, {
      signatureIds: outside,
    });
  }
  const wanted = new Set(command.signatureIds?.length ? command.signatureIds : invalidation.signatureIds);
  // A signature withdrawn while it was invalidated stays withdrawn: there is nothing to give back.
  const signatures = unique(command.candidates)
    .filter((s) => wanted.has(s.signatureId) && state.invalidated[s.signatureId] === command.invalidationId && s.standing)
    .sort((a, b) => (a.signatureId < b.signatureId ? -1 : 1))
    .map(listed);
  if (signatures.length === 0) throw conflict('NOTHING_TO_REINSTATE', 'None of these signatures is still invalidated and standing');
  const provinceCounts = provinceCountsOf(signatures);
  return [
    {
      type: 'SignaturesReinstated',
      data: {
        petitionId: petition.id,
        invalidationId: command.invalidationId,
        reasonCode: command.reasonCode,
        signatures,
        count: signatures.length,
        ...(provinceCounts ? { provinceCounts } : {}),
        reinstatedAt: ctx.now,
      },
    },
  ];
}
