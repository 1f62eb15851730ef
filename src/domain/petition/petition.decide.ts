/**
 * The petition decider: decide(command, state, context) → events. Pure: time, ids, the actor and
 * the rulebook come in; nothing is read or written here. Each rule below has its own
 * given/when/then spec in test/domain/petition.decide.spec.ts.
 */
import { createHash } from 'node:crypto';
import { Actor, ActorRole, hasRole } from '../shared/actor';
import { conflict, DomainError, forbidden, refused } from '../shared/domain-error';
import {
  addMonthsUtc,
  Council,
  eligibilityRule,
  levelRules,
  LengthLimit,
  Rulebook,
  RulebookError,
  sessionCalendarFor,
  targetSessionFor,
  thresholdFor,
} from '../rules/rulebook';
import { requireNoIdentityNumber } from '../shared/personal-data';
import type { DecisionContext, PetitionCommand, SignatureTally } from './petition.commands';
import type { DeclaredDocuments, PetitionEvent, ThresholdSnapshot } from './petition.events';
import type { Filed, Petition, PetitionIn, PetitionState, PetitionStatus } from './petition.state';

export function decidePetition(command: PetitionCommand, state: PetitionState, ctx: DecisionContext): PetitionEvent[] {
  requireNoIdentityNumber(freeText(command));
  if (command.type === 'FilePetition') return file(command, state, ctx);
  const petition = existing(state);
  switch (command.type) {
    case 'RecordThresholdReached':
      if (!hasRole(ctx.actor, 'system')) throw forbidden('ROLE_NOT_ALLOWED', 'Only the threshold check records that the threshold was reached');
      return recordThreshold(command.tally, petition, ctx);
    case 'SubmitPetition':
      return submit(command.tally, petition, ctx);
    case 'DeclareAdmissible':
      requireCouncilStaff(ctx.actor, petition);
      requireStatus(
        petition,
        'submitted',
        'PETITION_NOT_SUBMITTED',
        'Only a submitted petition awaiting its admissibility decision can be declared admissible',
      );
      return [
        {
          type: 'PetitionDeclaredAdmissible',
          data: {
            petitionId: petition.id,
            ...(command.agendaSession ? { agendaSession: command.agendaSession } : {}),
            committee: command.committee,
            ...(command.note ? { note: command.note } : {}),
            // The law sets a duty, not a deadline: the next ordinary session whose agenda is still open.
            targetSession: targetSessionFor(sessionCalendarFor(ctx.rulebook, councilOf(ctx, petition.councilId)), ctx.now),
            decidedAt: ctx.now,
          },
        },
      ];
    case 'DeclareInadmissible':
      return declareInadmissible(command, petition, ctx);
    case 'RecordOfficialResponse':
      requireCouncilStaff(ctx.actor, petition);
      requireStatus(petition, 'admissible', 'PETITION_NOT_ADMISSIBLE', 'The council answers a petition only after declaring it admissible');
      checkLength('text', command.text, ctx.rulebook.limits.decisionText);
      return [
        {
          type: 'OfficialResponseRecorded',
          data: {
            petitionId: petition.id,
            decision: command.decision,
            text: command.text,
            respondingOfficial: command.respondingOfficial,
            ...(command.deliberationRef ? { deliberationRef: command.deliberationRef } : {}),
            respondedAt: ctx.now,
          },
        },
      ];
    case 'WithdrawPetition':
      requireOwner(ctx.actor, petition, 'withdraw');
      if (petition.status !== 'collecting' && petition.status !== 'submitted') {
        throw conflict('PETITION_NOT_WITHDRAWABLE', `A petition can be withdrawn only before the council's decision; it is ${petition.status}`);
      }
      return [{ type: 'PetitionWithdrawn', data: { petitionId: petition.id, ...(command.reason ? { reason: command.reason } : {}), withdrawnAt: ctx.now } }];
    case 'MarkResponseDeadlineMissed':
      // Idempotent for the scheduler: nothing to record unless the deadline has passed undecided.
      if (!hasRole(ctx.actor, 'system')) throw forbidden('ROLE_NOT_ALLOWED', 'Only the deadline watch records a missed deadline');
      if (petition.status !== 'submitted' || petition.deadlineMissed) return [];
      if (Date.parse(ctx.now) < Date.parse(petition.responseDueAt)) return [];
      return [{ type: 'ResponseDeadlineMissed', data: { petitionId: petition.id, dueAt: petition.responseDueAt, detectedAt: ctx.now } }];
    case 'MarkAgendaSessionMissed':
      // Idempotent for the scheduler: once, for an accepted petition still unanswered after its session.
      if (!hasRole(ctx.actor, 'system')) throw forbidden('ROLE_NOT_ALLOWED', 'Only the deadline watch records a missed session');
      if (petition.status !== 'admissible' || petition.sessionMissed || !petition.targetSession) return [];
      if (Date.parse(ctx.now) < Date.parse(petition.targetSession.endsAt)) return [];
      return [
        {
          type: 'AgendaSessionMissed',
          data: {
            petitionId: petition.id,
            sessionMonth: petition.targetSession.month,
            sessionEndsOn: petition.targetSession.endsOn,
            detectedAt: ctx.now,
          },
        },
      ];
    case 'ClosePetition':
      if (!hasRole(ctx.actor, 'admin')) requireCouncilStaff(ctx.actor, petition);
      if (petition.closed) throw conflict('PETITION_ALREADY_CLOSED', 'The petition is already closed');
      if (petition.status !== 'answered' && petition.status !== 'inadmissible') {
        throw conflict('PETITION_NOT_CLOSABLE', `Only an answered or inadmissible petition can be closed; it is ${petition.status}`);
      }
      return [{ type: 'PetitionClosed', data: { petitionId: petition.id, ...(command.note ? { note: command.note } : {}), closedAt: ctx.now } }];
  }
}

function file(command: Extract<PetitionCommand, { type: 'FilePetition' }>, state: PetitionState, ctx: DecisionContext): PetitionEvent[] {
  if (state) throw conflict('PETITION_ALREADY_EXISTS', `Petition ${command.petitionId} already exists`);
  const { actor, rulebook, registry } = ctx;
  const { council } = command;
  const rules = levelRules(rulebook, council.level);
  const limits = rulebook.limits;
  let declaredDocuments: DeclaredDocuments;
  checkLength('title', command.title, limits.title);
  checkLength('subject', command.subject, limits.subject);
  checkLength('requests', command.requests, limits.requests);
  checkLength('reasons', command.reasons, limits.reasons);

  if (command.petitionerType === 'citizens') {
    if (!hasRole(actor, 'agent', 'citizen')) {
      throw forbidden('ROLE_NOT_ALLOWED', "A citizens' petition is filed by its agent (role agent or citizen)");
    }
    if (command.association) throw refused('ASSOCIATION_NOT_EXPECTED', "A citizens' petition carries no association declaration");
    declaredDocuments = { petitionerType: 'citizens', identityCardCopies: command.identityCardCopies ?? 0 };
  } else {
    if (!hasRole(actor, 'association_rep')) {
      throw forbidden('ROLE_NOT_ALLOWED', "An association's petition is filed by its legal representative (role association_rep)");
    }
    checkAssociation(command.association, ctx.now, rulebook);
    declaredDocuments = associationDocuments(command.association!, council, rulebook);
  }

  const threshold: ThresholdSnapshot = thresholdFor(rulebook, registry, council);
  return [
    {
      type: 'PetitionFiled',
      data: {
        petitionId: command.petitionId,
        councilId: council.id,
        councilLevel: council.level,
        petitionerType: command.petitionerType,
        ownerId: actor.id,
        ...(command.association ? { association: associationDeclaration(command.association) } : {}),
        title: command.title,
        subject: command.subject,
        requests: command.requests,
        reasons: command.reasons,
        textDigest: textDigest(command),
        threshold,
        // Associations petition without a signature minimum; citizens need the council's threshold.
        thresholdApplies: command.petitionerType === 'citizens',
        responseDeadlineMonths: rules.responseDeadlineMonths.value,
        rulebookVersion: rulebook.version,
        declaredDocuments,
        filedAt: ctx.now,
      },
    },
  ];
}

function checkAssociation(association: Extract<PetitionCommand, { type: 'FilePetition' }>['association'], now: string, rulebook: Rulebook): void {
  if (!association) throw refused('ASSOCIATION_DECLARATION_REQUIRED', "An association's petition declares the association's conditions");
  const years = rulebook.association.minYearsConstituted.value;
  const constituted = Date.parse(association.constitutedOn);
  if (Number.isNaN(constituted)) throw refused('ASSOCIATION_CONSTITUTION_DATE_INVALID', 'constitutedOn is not a date');
  // constitutedOn is a calendar date: compare days, so the anniversary day itself is not "more than".
  const anniversaryDay = addMonthsUtc(new Date(constituted).toISOString(), years * 12).slice(0, 10);
  const today = new Date(now).toISOString().slice(0, 10);
  if (!(anniversaryDay < today)) {
    throw refused('ASSOCIATION_TOO_RECENT', `The association must have been constituted in Morocco for more than ${years} years`, {
      constitutedOn: association.constitutedOn,
    });
  }
  if (!association.seatOrBranchInTerritory) {
    throw refused('ASSOCIATION_NOT_IN_TERRITORY', "The association must have its seat or a branch in the council's territory");
  }
  if (!association.activityRelatedToSubject) {
    throw refused('ASSOCIATION_ACTIVITY_UNRELATED', "The association's activity must relate to the petition's subject");
  }
}

type FiledAssociation = NonNullable<Extract<PetitionCommand, { type: 'FilePetition' }>['association']>;

/** The declaration as PetitionFiled records it (membership and documents go to declaredDocuments). */
const associationDeclaration = ({ memberCount: _m, documents: _d, ...declaration }: FiledAssociation) => declaration;

/** Membership, where the level's law sets a minimum (provinces: more than 100, 112-14 art. 115), and the documents. */
function associationDocuments(association: FiledAssociation, council: Council, rulebook: Rulebook): DeclaredDocuments {
  const memberCount = association.memberCount;
  if (memberCount === undefined || !Number.isInteger(memberCount) || memberCount < 1) {
    throw refused('ASSOCIATION_MEMBER_COUNT_REQUIRED', "An association's petition declares its number of members");
  }
  const minimum = eligibilityRule(rulebook, council.level, 'association-members');
  if (minimum?.value !== undefined && !(memberCount > minimum.value)) {
    throw refused(
      'ASSOCIATION_TOO_FEW_MEMBERS',
      `An association petitioning a ${council.level} council must have more than ${minimum.value} members (${minimum.article}); it declares ${memberCount}`,
      { rule: minimum.id, article: minimum.article, required: `more than ${minimum.value}`, memberCount },
    );
  }
  const documents = association.documents;
  return {
    petitionerType: 'association',
    memberCount,
    constitutionProof: documents?.constitutionProof ?? false,
    statutes: documents?.statutes ?? false,
    representativePowers: documents?.representativePowers ?? false,
  };
}

function councilOf(ctx: DecisionContext, councilId: string): Council {
  const council = ctx.registry.councils.find((c) => c.id === councilId);
  if (!council) throw new RulebookError(`The council ${councilId} is no longer in the registry`);
  return council;
}

/** Whether a tally meets the petition's threshold, and by how much it falls short if not. */
export function thresholdShortfall(
  petition: Pick<Filed, 'threshold' | 'thresholdApplies'>,
  tally: SignatureTally,
): { met: boolean; missing: number; provinces: { provinceId: string; required: number; count: number }[] } {
  if (!petition.thresholdApplies) return { met: true, missing: 0, provinces: [] };
  const missing = Math.max(0, petition.threshold.required - tally.count);
  const provinces = (petition.threshold.provinceShares ?? [])
    .map((s) => ({ provinceId: s.provinceId, required: s.required, count: tally.provinceCounts[s.provinceId] ?? 0 }))
    .filter((p) => p.count < p.required);
  return { met: missing === 0 && provinces.length === 0, missing, provinces };
}

function recordThreshold(tally: SignatureTally, petition: Petition, ctx: DecisionContext): PetitionEvent[] {
  // Recorded once, and only for a petition still collecting with a threshold to reach.
  if (petition.status !== 'collecting' || petition.thresholdReached || !petition.thresholdApplies) return [];
  if (!thresholdShortfall(petition, tally).met) return [];
  return [
    {
      type: 'SignatureThresholdReached',
      data: {
        petitionId: petition.id,
        required: petition.threshold.required,
        count: tally.count,
        ...(petition.threshold.provinceShares ? { provinceCounts: tally.provinceCounts } : {}),
        countedUpToPosition: tally.countedUpToPosition,
        reachedAt: ctx.now,
      },
    },
  ];
}

function submit(tally: SignatureTally, petition: Petition, ctx: DecisionContext): PetitionEvent[] {
  requireOwner(ctx.actor, petition, 'submit');
  requireStatus(petition, 'collecting', 'PETITION_NOT_COLLECTING', `Only a petition still collecting signatures can be submitted; it is ${petition.status}`);
  const shortfall = thresholdShortfall(petition, tally);
  if (!shortfall.met) {
    throw refused(
      'THRESHOLD_NOT_MET',
      `The petition has ${tally.count} of the ${petition.threshold.required} signatures it needs` +
        (shortfall.provinces.length ? `, and ${shortfall.provinces.length} province(s) are below their share` : ''),
      {
        required: petition.threshold.required,
        count: tally.count,
        provincesBelowShare: shortfall.provinces,
      },
    );
  }
  const responseDueAt = addMonthsUtc(ctx.now, petition.responseDeadlineMonths);
  return [
    {
      type: 'PetitionSubmittedToCouncil',
      data: {
        petitionId: petition.id,
        signatureCount: tally.count,
        ...(petition.threshold.provinceShares ? { provinceCounts: tally.provinceCounts } : {}),
        countedUpToPosition: tally.countedUpToPosition,
        submittedAt: ctx.now,
        responseDueAt,
        deadlineMonths: petition.responseDeadlineMonths,
      },
    },
  ];
}

function declareInadmissible(command: Extract<PetitionCommand, { type: 'DeclareInadmissible' }>, petition: Petition, ctx: DecisionContext): PetitionEvent[] {
  requireCouncilStaff(ctx.actor, petition);
  requireStatus(petition, 'submitted', 'PETITION_NOT_SUBMITTED', 'Only a submitted petition awaiting its admissibility decision can be declared inadmissible');
  if (command.reasonCodes.length === 0) throw refused('REASON_CODE_REQUIRED', 'An inadmissibility decision gives at least one reason code');
  // A ground without legal basis (the former free "other") reads old decisions but is refused in new ones.
  const known = new Set(ctx.rulebook.inadmissibilityReasons.filter((r) => r.acceptedInNewDecisions !== false).map((r) => r.code));
  const unknown = command.reasonCodes.filter((c) => !known.has(c));
  if (unknown.length) throw refused('UNKNOWN_REASON_CODE', `Unknown reason code(s): ${unknown.join(', ')}`, { unknown, known: [...known] });
  if (!command.reasonText || !command.reasonText.trim())
    throw refused('REASON_TEXT_REQUIRED', 'An inadmissibility decision is reasoned: the text is mandatory');
  checkLength('reasonText', command.reasonText, ctx.rulebook.limits.decisionText);
  return [
    {
      type: 'PetitionDeclaredInadmissible',
      data: { petitionId: petition.id, reasonCodes: [...new Set(command.reasonCodes)], reasonText: command.reasonText, decidedAt: ctx.now },
    },
  ];
}

/** The command's free text, published or kept in clear: none may carry an identity number. */
function freeText(command: PetitionCommand): Record<string, string | undefined> {
  switch (command.type) {
    case 'FilePetition':
      return { title: command.title, subject: command.subject, requests: command.requests, reasons: command.reasons };
    case 'DeclareAdmissible':
      return { agendaSession: command.agendaSession, committee: command.committee, note: command.note };
    case 'DeclareInadmissible':
      return { reasonText: command.reasonText };
    case 'RecordOfficialResponse':
      return { text: command.text };
    case 'WithdrawPetition':
      return { reason: command.reason };
    case 'ClosePetition':
      return { note: command.note };
    default:
      return {};
  }
}

export function existing(state: PetitionState): Petition {
  if (!state) throw new DomainError('PETITION_NOT_FOUND', 'No such petition', 'not_found');
  return state;
}

/** Narrows to the status the command needs; a closed petition refuses every decision first. */
function requireStatus<S extends PetitionStatus>(petition: Petition, status: S, code: string, message: string): asserts petition is PetitionIn<S> {
  if (petition.closed) throw conflict('PETITION_CLOSED', 'The petition is closed');
  if (petition.status !== status) throw conflict(code, message, { status: petition.status });
}

/** Clerks and officials act only for the council their token names. */
export function requireCouncilStaff(actor: Actor, petition: Filed): void {
  const staff: ActorRole[] = ['clerk', 'official'];
  if (!hasRole(actor, ...staff)) throw forbidden('ROLE_NOT_ALLOWED', 'Only a clerk or an official of the council can do this');
  if (actor.councilId !== petition.councilId) {
    throw forbidden('NOT_COUNCIL_STAFF', `This petition is addressed to ${petition.councilId}; the token acts for ${actor.councilId ?? 'no council'}`);
  }
}

function requireOwner(actor: Actor, petition: Filed, verb: string): void {
  if (actor.id !== petition.ownerId) {
    const who = petition.petitionerType === 'citizens' ? 'agent' : "association's legal representative";
    throw forbidden('NOT_PETITION_OWNER', `Only the petition's ${who} can ${verb} it`);
  }
}

function checkLength(field: string, value: string, limit: LengthLimit): void {
  const length = [...value.trim()].length;
  if (length < limit.min || length > limit.max) {
    throw refused('TEXT_LENGTH', `${field} must be ${limit.min} to ${limit.max} characters; it has ${length}`, {
      field,
      min: limit.min,
      max: limit.max,
      length,
    });
  }
}

export function textDigest(text: { title: string; subject: string; requests: string; reasons: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([text.title, text.subject, text.requests, text.reasons]))
    .digest('hex');
}
