/**
 * The dialogue's deciders, rule by rule: the officials' registry (who manages it, terms, linked
 * accounts), who acts as an official, who may post where, council answers, commitments and their
 * dates, the commitment watch, moderation, closing, escalation, positions on petitions, follows,
 * personal data in free text, and search normalisation.
 */
import type { Actor } from '../../src/domain/shared/actor';
import { systemActor } from '../../src/domain/shared/actor';
import { DomainError, RefusalKind } from '../../src/domain/shared/domain-error';
import type { OfficialsEvent, PositionEvent, ThreadEvent } from '../../src/domain/dialogue/dialogue.events';
import { decideFollow, evolveFollow, initialFollowState } from '../../src/domain/dialogue/follow.decide';
import { decideOfficials, evolveOfficials, initialOfficialsRegistry, moroccanDay, OfficialsCommand } from '../../src/domain/dialogue/officials.decide';
import { decidePosition, evolvePosition, initialPositionState, StatePosition } from '../../src/domain/dialogue/position.decide';
import { containsIdentityNumber, normaliseForSearch } from '../../src/domain/dialogue/text-rules';
import { decideThread, foldThread, ThreadCommand } from '../../src/domain/dialogue/thread.decide';

const NOW = '2027-03-15T10:00:00.000Z';
const SEFROU = 'commune-sefrou';
const OFFICIAL_ID = '0190a000-0000-7000-8000-000000000001';
const PRESIDENT_ID = '0190a000-0000-7000-8000-000000000002';
const THREAD = '0190a000-0000-7000-8000-0000000000aa';
const PETITION = '0190a000-0000-7000-8000-0000000000bb';

const admin: Actor = { id: 'admin-1', roles: ['admin'] };
const clerk: Actor = { id: 'clerk-sefrou', roles: ['clerk'], councilId: SEFROU };
const otherClerk: Actor = { id: 'clerk-tt', roles: ['clerk'], councilId: 'commune-tan-tan' };
const citizen: Actor = { id: 'citizen-fatima', roles: ['citizen'] };
const otherCitizen: Actor = { id: 'citizen-youssef', roles: ['citizen'] };
const councillor: Actor = { id: 'official-karim', roles: ['official'], councilId: SEFROU };
const president: Actor = { id: 'official-salma', roles: ['official'], councilId: SEFROU };
const unregistered: Actor = { id: 'official-nobody', roles: ['official'], councilId: SEFROU };
const officialElsewhere: Actor = { id: 'official-karim', roles: ['official'], councilId: 'commune-tan-tan' };
const moderator: Actor = { id: 'moderator-1', roles: ['moderator'] };
const watch = systemActor('commitment-watch');

const registered = (
  officialId = OFFICIAL_ID,
  accountSub = 'official-karim',
  role: 'councillor' | 'president' = 'councillor',
  termEnd = '2027-09-30',
): OfficialsEvent => ({
  type: 'OfficialRegistered',
  data: {
    officialId,
    councilId: SEFROU,
    name: { ar: 'كريم بناني', fr: 'Karim Bennani' },
    role,
    committee: null,
    party: null,
    termStart: '2021-09-21',
    termEnd,
    accountSub,
    registeredAt: NOW,
  },
});
const registry = (events: OfficialsEvent[] = [registered(), registered(PRESIDENT_ID, 'official-salma', 'president')]) =>
  events.reduce(evolveOfficials, initialOfficialsRegistry);

function refusal(run: () => unknown): DomainError {
  try {
    const result = run();
    throw new Error(`Expected a refusal, got ${JSON.stringify(result)}`);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e;
  }
}
const expectRefused = (run: () => unknown, code: string, kind?: RefusalKind) => {
  const e = refusal(run);
  expect(e.code).toBe(code);
  if (kind) expect(e.kind).toBe(kind);
};

// ---------------------------------------------------------------- registry

describe('officials registry', () => {
  const register = (overrides: Partial<Extract<OfficialsCommand, { type: 'RegisterOfficial' }>> = {}): OfficialsCommand => ({
    type: 'RegisterOfficial',
    officialId: OFFICIAL_ID,
    councilId: SEFROU,
    name: { ar: 'كريم بناني', fr: 'Karim Bennani' },
    role: 'councillor',
    committee: 'Commission des services publics',
    party: null,
    termStart: '2021-09-21',
    termEnd: '2027-09-30',
    accountSub: 'official-karim',
    ...overrides,
  });
  const ctx = (actor: Actor) => ({ actor, now: NOW, councilExists: (id: string) => id === SEFROU || id === 'commune-tan-tan' });

  it('an admin or a clerk of that council registers an official', () => {
    for (const actor of [admin, clerk]) {
      expect(decideOfficials(register(), initialOfficialsRegistry, ctx(actor))).toEqual([
        { type: 'OfficialRegistered', data: { ...registered().data, committee: 'Commission des services publics' } },
      ]);
    }
  });

  it('a clerk of another council, a citizen or an official may not', () => {
    for (const actor of [otherClerk, citizen, councillor])
      expectRefused(() => decideOfficials(register(), initialOfficialsRegistry, ctx(actor)), 'NOT_COUNCIL_STAFF', 'forbidden');
  });

  it('refuses an unknown council, a term ending before it starts, or not a date', () => {
    expectRefused(() => decideOfficials(register({ councilId: 'commune-atlantis' }), initialOfficialsRegistry, ctx(admin)), 'COUNCIL_NOT_FOUND', 'not_found');
    expectRefused(() => decideOfficials(register({ termEnd: '2020-01-01' }), initialOfficialsRegistry, ctx(admin)), 'INVALID_TERM', 'rule');
    expectRefused(() => decideOfficials(register({ termEnd: '2027-02-30' }), initialOfficialsRegistry, ctx(admin)), 'INVALID_TERM', 'rule');
  });

  it('one account is linked to one official of the council at a time', () => {
    expectRefused(() => decideOfficials(register({ officialId: PRESIDENT_ID }), registry([registered()]), ctx(admin)), 'ACCOUNT_ALREADY_LINKED', 'conflict');
    expect(
      decideOfficials(register({ officialId: PRESIDENT_ID, termStart: '2027-10-01', termEnd: '2033-09-30' }), registry([registered()]), ctx(admin)),
    ).toHaveLength(1);
    expectRefused(() => decideOfficials(register(), registry([registered()]), ctx(admin)), 'OFFICIAL_ALREADY_REGISTERED', 'conflict');
  });

  it('refuses a name, committee or party carrying an identity number', () => {
    expectRefused(() => decideOfficials(register({ party: 'Liste JB123456' }), initialOfficialsRegistry, ctx(admin)), 'PERSONAL_DATA_IN_TEXT', 'rule');
  });

  it('ends a term early; the official no longer acts once it has ended', () => {
    const events = decideOfficials({ type: 'EndOfficialTerm', councilId: SEFROU, officialId: OFFICIAL_ID, endedOn: '2027-03-01' }, registry(), ctx(clerk));
    expect(events).toEqual([{ type: 'OfficialTermEnded', data: { officialId: OFFICIAL_ID, councilId: SEFROU, endedOn: '2027-03-01', recordedAt: NOW } }]);
    const after = registry([registered(), ...events]);
    expectRefused(
      () => decideThread({ type: 'MarkCouncilAnswer', messageId: 'm1' }, opened(), { ...threadCtx(councillor), registry: after }),
      'NOT_REGISTERED_OFFICIAL',
      'forbidden',
    );
    expectRefused(
      () => decideOfficials({ type: 'EndOfficialTerm', councilId: SEFROU, officialId: 'nobody', endedOn: '2027-03-01' }, registry(), ctx(clerk)),
      'OFFICIAL_NOT_FOUND',
      'not_found',
    );
    expectRefused(
      () => decideOfficials({ type: 'EndOfficialTerm', councilId: SEFROU, officialId: OFFICIAL_ID, endedOn: '2028-01-01' }, registry(), ctx(clerk)),
      'TERM_ALREADY_ENDS',
      'conflict',
    );
  });

  it('days are Moroccan days (UTC+1)', () => {
    expect(moroccanDay('2027-03-15T22:59:00.000Z')).toBe('2027-03-15');
    expect(moroccanDay('2027-03-15T23:00:00.000Z')).toBe('2027-03-16');
  });
});

// ---------------------------------------------------------------- threads

const threadCtx = (actor: Actor, now = NOW) => ({
  actor,
  now,
  registry: registry(),
  categories: ['roads', 'water', 'lighting', 'other'],
  councilExists: (id: string) => id === SEFROU,
});

const openCommand = (overrides: Partial<Extract<ThreadCommand, { type: 'OpenThread' }>> = {}): Extract<ThreadCommand, { type: 'OpenThread' }> => ({
  type: 'OpenThread',
  threadId: THREAD,
  messageId: 'm0',
  councilId: SEFROU,
  officialId: OFFICIAL_ID,
  category: 'lighting',
  area: 'Douar Bni Abbas',
  subject: 'La rue principale sans éclairage',
  text: 'La rue est dans le noir depuis six mois.',
  displayName: 'Fatima',
  ...overrides,
});

const openedEvent = (): ThreadEvent => ({
  type: 'ThreadOpened',
  data: { ...(({ type: _t, ...d }) => d)(openCommand()), openedBy: 'citizen-fatima', openedAt: NOW },
});
const reply = (messageId = 'm1', officialId = OFFICIAL_ID): ThreadEvent => ({
  type: 'MessagePosted',
  data: { threadId: THREAD, messageId, author: { kind: 'official', officialId }, postedBy: 'official-karim', text: 'Nous intervenons.', postedAt: NOW },
});
const citizenMessage = (messageId = 'm2'): ThreadEvent => ({
  type: 'MessagePosted',
  data: { threadId: THREAD, messageId, author: { kind: 'citizen', displayName: 'Youssef' }, postedBy: 'citizen-youssef', text: 'Merci.', postedAt: NOW },
});
const commitment = (dueOn = '2027-04-30'): ThreadEvent => ({
  type: 'CommitmentMade',
  data: { threadId: THREAD, commitmentId: 'c1', councilId: SEFROU, officialId: OFFICIAL_ID, text: 'Installer 12 lampadaires', dueOn, madeAt: NOW },
});
const opened = (...more: ThreadEvent[]) => foldThread([openedEvent(), ...more]);
const decide = (command: ThreadCommand, state: ReturnType<typeof foldThread>, actor: Actor, now = NOW) => decideThread(command, state, threadCtx(actor, now));

describe('opening a thread', () => {
  it('a citizen opens a thread to a council or to an official of it in office', () => {
    expect(decide(openCommand(), null, citizen)).toEqual([openedEvent()]);
    expect(decide(openCommand({ officialId: null }), null, citizen)[0].data).toMatchObject({ officialId: null });
  });

  it('only citizens open threads', () => {
    for (const actor of [councillor, clerk, moderator]) expectRefused(() => decide(openCommand(), null, actor), 'ROLE_NOT_ALLOWED', 'forbidden');
  });

  it('refuses an unknown council, category or official, an official out of office, an existing thread', () => {
    expectRefused(() => decide(openCommand({ councilId: 'commune-atlantis' }), null, citizen), 'COUNCIL_NOT_FOUND', 'rule');
    expectRefused(() => decide(openCommand({ category: 'weather' }), null, citizen), 'UNKNOWN_CATEGORY', 'rule');
    expectRefused(() => decide(openCommand({ officialId: 'someone-else' }), null, citizen), 'OFFICIAL_NOT_FOUND', 'rule');
    expectRefused(
      () =>
        decideThread(openCommand(), null, {
          ...threadCtx(citizen),
          registry: registry([registered(OFFICIAL_ID, 'official-karim', 'councillor', '2026-12-31')]),
        }),
      'OFFICIAL_NOT_IN_OFFICE',
      'rule',
    );
    expectRefused(() => decide(openCommand(), opened(), citizen), 'THREAD_EXISTS', 'conflict');
  });

  it('refuses free text carrying an identity number, in any field', () => {
    for (const field of ['subject', 'area', 'text', 'displayName'] as const) {
      expectRefused(() => decide(openCommand({ [field]: 'Appelez JB 123456 svp' }), null, citizen), 'PERSONAL_DATA_IN_TEXT', 'rule');
    }
  });
});

describe('posting', () => {
  it('a citizen posts under a display name; a registered official of the council as that official', () => {
    expect(decide({ type: 'PostMessage', messageId: 'm2', text: 'Merci.', displayName: 'Youssef' }, opened(), otherCitizen)).toEqual([citizenMessage()]);
    expect(decide({ type: 'PostMessage', messageId: 'm1', text: 'Nous intervenons.' }, opened(), councillor)).toEqual([reply()]);
  });

  it("an official's reply may be marked the council's answer at once; a citizen's may not", () => {
    expect(decide({ type: 'PostMessage', messageId: 'm1', text: 'Nous intervenons.', asCouncilAnswer: true }, opened(), councillor)).toEqual([
      reply(),
      { type: 'CouncilAnswerMarked', data: { threadId: THREAD, messageId: 'm1', officialId: OFFICIAL_ID, markedAt: NOW } },
    ]);
    expectRefused(
      () => decide({ type: 'PostMessage', messageId: 'm2', text: 'Réponse', displayName: 'Y', asCouncilAnswer: true }, opened(), citizen),
      'NOT_COUNCIL_OFFICIAL',
      'forbidden',
    );
  });

  it('an official of another council, an unregistered official, a clerk or a moderator may not post', () => {
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm1', text: 'x' }, opened(), officialElsewhere), 'NOT_COUNCIL_OFFICIAL', 'forbidden');
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm1', text: 'x' }, opened(), unregistered), 'NOT_REGISTERED_OFFICIAL', 'forbidden');
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm1', text: 'x' }, opened(), clerk), 'NOT_COUNCIL_OFFICIAL', 'forbidden');
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm1', text: 'x' }, opened(), moderator), 'NOT_COUNCIL_OFFICIAL', 'forbidden');
  });

  it('a citizen needs a display name; nobody posts in a closed thread or an unknown one', () => {
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm2', text: 'Merci.' }, opened(), citizen), 'DISPLAY_NAME_REQUIRED', 'rule');
    const closed = opened({ type: 'ThreadClosed', data: { threadId: THREAD, outcome: 'closed', reasonCode: 'duplicate', closedAt: NOW } });
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm2', text: 'Merci.', displayName: 'Y' }, closed, citizen), 'THREAD_CLOSED', 'conflict');
    expectRefused(() => decide({ type: 'PostMessage', messageId: 'm2', text: 'Merci.', displayName: 'Y' }, null, citizen), 'THREAD_NOT_FOUND', 'not_found');
  });
});

describe("the council's answer", () => {
  it("an official of the council marks an official's reply, once", () => {
    expect(decide({ type: 'MarkCouncilAnswer', messageId: 'm1' }, opened(reply()), president)).toEqual([
      { type: 'CouncilAnswerMarked', data: { threadId: THREAD, messageId: 'm1', officialId: PRESIDENT_ID, markedAt: NOW } },
    ]);
    const marked = opened(reply(), { type: 'CouncilAnswerMarked', data: { threadId: THREAD, messageId: 'm1', officialId: OFFICIAL_ID, markedAt: NOW } });
    expectRefused(() => decide({ type: 'MarkCouncilAnswer', messageId: 'm1' }, marked, councillor), 'ALREADY_COUNCIL_ANSWER', 'conflict');
  });

  it("not a citizen's message, not a hidden reply, not a missing one, not by a citizen", () => {
    expectRefused(() => decide({ type: 'MarkCouncilAnswer', messageId: 'm2' }, opened(citizenMessage()), councillor), 'NOT_AN_OFFICIAL_REPLY', 'rule');
    const hidden = opened(reply(), { type: 'MessageHidden', data: { threadId: THREAD, messageId: 'm1', reasonCode: 'abuse', hiddenAt: NOW } });
    expectRefused(() => decide({ type: 'MarkCouncilAnswer', messageId: 'm1' }, hidden, councillor), 'MESSAGE_HIDDEN', 'conflict');
    expectRefused(() => decide({ type: 'MarkCouncilAnswer', messageId: 'zz' }, opened(), councillor), 'MESSAGE_NOT_FOUND', 'not_found');
    expectRefused(() => decide({ type: 'MarkCouncilAnswer', messageId: 'm1' }, opened(reply()), citizen), 'ROLE_NOT_ALLOWED', 'forbidden');
  });
});

describe('commitments', () => {
  it('an official of the council commits to a date after today, within their term', () => {
    expect(decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'Installer 12 lampadaires', dueOn: '2027-04-30' }, opened(), councillor)).toEqual([
      commitment(),
    ]);
  });

  it('refuses today, a past date, a date after the term, a malformed date', () => {
    expectRefused(
      () => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '2027-03-15' }, opened(), councillor),
      'COMMITMENT_DATE_NOT_FUTURE',
      'rule',
    );
    expectRefused(
      () => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '2026-01-01' }, opened(), councillor),
      'COMMITMENT_DATE_NOT_FUTURE',
      'rule',
    );
    expectRefused(
      () => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '2028-01-01' }, opened(), councillor),
      'COMMITMENT_BEYOND_TERM',
      'rule',
    );
    expectRefused(() => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '30/04/2027' }, opened(), councillor), 'INVALID_DATE', 'rule');
  });

  it('a citizen or an official of another council may not commit', () => {
    expectRefused(
      () => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '2027-04-30' }, opened(), citizen),
      'ROLE_NOT_ALLOWED',
      'forbidden',
    );
    expectRefused(
      () => decide({ type: 'MakeCommitment', commitmentId: 'c1', text: 'x', dueOn: '2027-04-30' }, opened(), officialElsewhere),
      'NOT_COUNCIL_OFFICIAL',
      'forbidden',
    );
  });

  it('kept, with evidence, by the official who made it or the president; once', () => {
    const evidence = 'Posés le 20 avril, procès-verbal n° 14.';
    expect(decide({ type: 'KeepCommitment', commitmentId: 'c1', evidence }, opened(commitment()), councillor)).toEqual([
      { type: 'CommitmentKept', data: { threadId: THREAD, commitmentId: 'c1', officialId: OFFICIAL_ID, evidence, keptAt: NOW } },
    ]);
    expect(decide({ type: 'KeepCommitment', commitmentId: 'c1', evidence }, opened(commitment()), president)).toHaveLength(1);
    const kept = opened(commitment(), {
      type: 'CommitmentKept',
      data: { threadId: THREAD, commitmentId: 'c1', officialId: OFFICIAL_ID, evidence, keptAt: NOW },
    });
    expectRefused(() => decide({ type: 'KeepCommitment', commitmentId: 'c1', evidence }, kept, councillor), 'COMMITMENT_NOT_OPEN', 'conflict');
    expectRefused(() => decide({ type: 'KeepCommitment', commitmentId: 'c9', evidence }, opened(), councillor), 'COMMITMENT_NOT_FOUND', 'not_found');
  });

  it("another councillor may not mark someone else's commitment kept", () => {
    const other: Actor = { id: 'official-hamza', roles: ['official'], councilId: SEFROU };
    const ctx = { ...threadCtx(other), registry: registry([registered(), registered('0190a000-0000-7000-8000-000000000003', 'official-hamza')]) };
    expectRefused(
      () => decideThread({ type: 'KeepCommitment', commitmentId: 'c1', evidence: 'Fait le 20 avril.' }, opened(commitment()), ctx),
      'NOT_COMMITMENT_OWNER',
      'forbidden',
    );
  });

  it('the watch records it missed once its day is over, only once, never if kept, never for anyone else', () => {
    const missed = { type: 'MarkCommitmentMissed' as const, commitmentId: 'c1' };
    expect(decide(missed, opened(commitment('2027-04-30')), watch, '2027-04-30T22:59:00.000Z')).toEqual([]);
    const events = decide(missed, opened(commitment('2027-04-30')), watch, '2027-04-30T23:00:00.000Z');
    expect(events).toEqual([
      {
        type: 'CommitmentMissed',
        data: { threadId: THREAD, commitmentId: 'c1', officialId: OFFICIAL_ID, dueOn: '2027-04-30', detectedAt: '2027-04-30T23:00:00.000Z' },
      },
    ]);
    expect(decide(missed, opened(commitment(), ...events), watch, '2027-06-01T00:00:00.000Z')).toEqual([]);
    const kept = opened(commitment(), {
      type: 'CommitmentKept',
      data: { threadId: THREAD, commitmentId: 'c1', officialId: OFFICIAL_ID, evidence: 'Fait.', keptAt: NOW },
    });
    expect(decide(missed, kept, watch, '2027-06-01T00:00:00.000Z')).toEqual([]);
    expectRefused(() => decide(missed, opened(commitment()), councillor, '2027-06-01T00:00:00.000Z'), 'ROLE_NOT_ALLOWED', 'forbidden');
  });
});

describe('moderation', () => {
  const hidden: ThreadEvent = { type: 'MessageHidden', data: { threadId: THREAD, messageId: 'm2', reasonCode: 'abuse', hiddenAt: NOW } };

  it('a moderator hides a message with a reason, then restores it', () => {
    expect(decide({ type: 'HideMessage', messageId: 'm2', reasonCode: 'abuse' }, opened(citizenMessage()), moderator)).toEqual([hidden]);
    expect(decide({ type: 'RestoreMessage', messageId: 'm2' }, opened(citizenMessage(), hidden), moderator)).toEqual([
      { type: 'MessageRestored', data: { threadId: THREAD, messageId: 'm2', restoredAt: NOW } },
    ]);
  });

  it('only moderators; not twice; not a message that is not hidden or not there', () => {
    for (const actor of [citizen, councillor, admin])
      expectRefused(
        () => decide({ type: 'HideMessage', messageId: 'm2', reasonCode: 'abuse' }, opened(citizenMessage()), actor),
        'ROLE_NOT_ALLOWED',
        'forbidden',
      );
    expectRefused(
      () => decide({ type: 'HideMessage', messageId: 'm2', reasonCode: 'spam' }, opened(citizenMessage(), hidden), moderator),
      'MESSAGE_ALREADY_HIDDEN',
      'conflict',
    );
    expectRefused(() => decide({ type: 'RestoreMessage', messageId: 'm2' }, opened(citizenMessage()), moderator), 'MESSAGE_NOT_HIDDEN', 'conflict');
    expectRefused(() => decide({ type: 'HideMessage', messageId: 'zz', reasonCode: 'spam' }, opened(), moderator), 'MESSAGE_NOT_FOUND', 'not_found');
  });

  it('the opening message can be hidden too', () => {
    expect(decide({ type: 'HideMessage', messageId: 'm0', reasonCode: 'personal_data' }, opened(), moderator)).toHaveLength(1);
  });
});

describe('closing and escalating', () => {
  const close = { type: 'CloseThread' as const, outcome: 'resolved' as const, reasonCode: 'problem_fixed' as const };

  it('the opener, an official of the council or an admin closes it, once', () => {
    for (const actor of [citizen, councillor, admin])
      expect(decide(close, opened(), actor)).toEqual([
        { type: 'ThreadClosed', data: { threadId: THREAD, outcome: 'resolved', reasonCode: 'problem_fixed', closedAt: NOW } },
      ]);
    expectRefused(() => decide(close, opened(), otherCitizen), 'ROLE_NOT_ALLOWED', 'forbidden');
    expectRefused(() => decide(close, opened(), officialElsewhere), 'NOT_COUNCIL_OFFICIAL', 'forbidden');
    expectRefused(() => decide(close, opened(...decide(close, opened(), citizen)), citizen), 'THREAD_ALREADY_CLOSED', 'conflict');
  });

  it('the opener escalates it into a petition, once, while open', () => {
    const escalated = decide({ type: 'EscalateThread', petitionId: PETITION }, opened(), citizen);
    expect(escalated).toEqual([{ type: 'ThreadEscalated', data: { threadId: THREAD, petitionId: PETITION, escalatedAt: NOW } }]);
    expectRefused(() => decide({ type: 'EscalateThread', petitionId: PETITION }, opened(), otherCitizen), 'NOT_THREAD_OPENER', 'forbidden');
    expectRefused(() => decide({ type: 'EscalateThread', petitionId: PETITION }, opened(), councillor), 'NOT_THREAD_OPENER', 'forbidden');
    const error = refusal(() => decide({ type: 'EscalateThread', petitionId: 'another' }, opened(...escalated), citizen));
    expect([error.code, error.details]).toEqual(['THREAD_ALREADY_ESCALATED', { petitionId: PETITION }]);
    expectRefused(
      () => decide({ type: 'EscalateThread', petitionId: PETITION }, opened(...decide(close, opened(), citizen)), citizen),
      'THREAD_CLOSED',
      'conflict',
    );
  });
});

// ---------------------------------------------------------------- positions

describe('positions on petitions', () => {
  const state = (command: StatePosition, actor: Actor, events: PositionEvent[] = [], petitionCouncilId: string | null = SEFROU) =>
    decidePosition(command, events.reduce(evolvePosition, initialPositionState), { actor, now: NOW, petitionCouncilId, registry: registry() });
  const support: StatePosition = { type: 'StatePosition', petitionId: PETITION, stance: 'support', reasons: "L'éclairage est une priorité." };

  it('an official of the petition’s council states a position, and may change it; every change is an event', () => {
    const first = state(support, councillor);
    expect(first).toEqual([
      {
        type: 'PositionStated',
        data: { petitionId: PETITION, councilId: SEFROU, officialId: OFFICIAL_ID, stance: 'support', reasons: "L'éclairage est une priorité.", statedAt: NOW },
      },
    ]);
    const changed = state({ ...support, stance: 'oppose', reasons: 'Le budget ne le permet pas.' }, councillor, first);
    expect(changed[0].data.stance).toBe('oppose');
    expect([...first, ...changed].reduce(evolvePosition, initialPositionState)).toEqual({
      stance: 'oppose',
      reasons: 'Le budget ne le permet pas.',
      changes: 1,
    });
  });

  it('refuses the same position again, another council’s official, an unregistered one, a citizen, an unknown petition', () => {
    expectRefused(() => state(support, councillor, state(support, councillor)), 'POSITION_UNCHANGED', 'conflict');
    expectRefused(() => state(support, officialElsewhere), 'NOT_COUNCIL_OFFICIAL', 'forbidden');
    expectRefused(() => state(support, unregistered), 'NOT_REGISTERED_OFFICIAL', 'forbidden');
    expectRefused(() => state(support, citizen), 'ROLE_NOT_ALLOWED', 'forbidden');
    expectRefused(() => state(support, councillor, [], null), 'PETITION_NOT_FOUND', 'not_found');
    expectRefused(() => state({ ...support, reasons: 'Voir le dossier de AB12345' }, councillor), 'PERSONAL_DATA_IN_TEXT', 'rule');
  });
});

// ---------------------------------------------------------------- follows

describe('follows', () => {
  const target = { kind: 'thread' as const, id: THREAD };
  it('a citizen follows an existing thread or petition, then stops', () => {
    const started = decideFollow({ type: 'Follow', target, targetExists: true }, initialFollowState, { actor: citizen, now: NOW });
    expect(started).toEqual([{ type: 'FollowStarted', data: { followerId: 'citizen-fatima', target, followedAt: NOW } }]);
    const following = started.reduce(evolveFollow, initialFollowState);
    expectRefused(() => decideFollow({ type: 'Follow', target, targetExists: true }, following, { actor: citizen, now: NOW }), 'ALREADY_FOLLOWING', 'conflict');
    expect(decideFollow({ type: 'Unfollow', target, targetExists: true }, following, { actor: citizen, now: NOW })[0].type).toBe('FollowStopped');
    expectRefused(
      () => decideFollow({ type: 'Unfollow', target, targetExists: true }, initialFollowState, { actor: citizen, now: NOW }),
      'NOT_FOLLOWING',
      'conflict',
    );
    expectRefused(
      () => decideFollow({ type: 'Follow', target, targetExists: false }, initialFollowState, { actor: citizen, now: NOW }),
      'THREAD_NOT_FOUND',
      'not_found',
    );
    expectRefused(
      () => decideFollow({ type: 'Follow', target, targetExists: true }, initialFollowState, { actor: councillor, now: NOW }),
      'ROLE_NOT_ALLOWED',
      'forbidden',
    );
  });
});

// ---------------------------------------------------------------- text rules

describe('text rules', () => {
  it('finds identity numbers as people write them, not ordinary words or numbers', () => {
    for (const text of ['JB123456', 'ma carte: jb123456.', 'CIN AB 12345', 'رقم البطاقة BE-987654', 'X1234567'])
      expect(containsIdentityNumber(text)).toBe(true);
    for (const text of ['Rue 12, 40 lampadaires', 'Budget 2027 de 1200000 dirhams', 'RN13 et R503', 'Lot B12'])
      expect(containsIdentityNumber(text)).toBe(false);
  });

  it('normalises Arabic as people type it: hamza and alef forms, alef maqsura, taa marbuta, tashkeel, tatweel', () => {
    expect(normaliseForSearch('الإنارة')).toBe(normaliseForSearch('الانارة'));
    expect(normaliseForSearch('أحياء')).toBe('احياء');
    expect(normaliseForSearch('آبار')).toBe('ابار');
    expect(normaliseForSearch('مستشفى')).toBe('مستشفي');
    expect(normaliseForSearch('مدرسة')).toBe('مدرسه');
    expect(normaliseForSearch('مُؤَسَّسَة')).toBe('موسسه');
    expect(normaliseForSearch('شـــارع')).toBe('شارع');
    expect(normaliseForSearch('مسئول')).toBe('مسيول');
  });

  it('normalises French accents and case', () => {
    expect(normaliseForSearch('Éclairage Publié à Sefrou')).toBe('eclairage publie a sefrou');
    expect(normaliseForSearch('ŒUVRE ç')).toBe('œuvre c');
  });
});
