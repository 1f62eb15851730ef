import { CURRENT_VERSION, DomainEventType, parseStoredType, storedType, storedTypesOf, toDomainEvent } from '../../src/domain/event-types';
import { SignatureTallies } from '../../src/domain/signature/signature-tally';
import { PETITION_ID, PROVINCE_A, PROVINCE_B, signatureWithdrawn, signed } from './fixtures';

describe('SignatureTallies', () => {
  const OTHER = 'pet-2';

  it('starts empty at position 0', () => {
    const tallies = new SignatureTallies();
    expect(tallies.lastPosition).toBe(0n);
    expect(tallies.tallyOf(PETITION_ID)).toStrictEqual({ count: 0, provinceCounts: {}, countedUpToPosition: '0' });
  });

  it('counts signed minus withdrawn, per petition', () => {
    const tallies = new SignatureTallies();
    tallies.apply(signed({ signerHash: 'a' }), 1n);
    tallies.apply(signed({ signerHash: 'b' }), 2n);
    tallies.apply(signed({ petitionId: OTHER, signerHash: 'a' }), 3n);
    tallies.apply(signed({ signerHash: 'c' }), 5n);
    tallies.apply(signatureWithdrawn({ signerHash: 'b' }), 8n);

    expect(tallies.tallyOf(PETITION_ID)).toStrictEqual({ count: 2, provinceCounts: {}, countedUpToPosition: '8' });
    expect(tallies.tallyOf(OTHER)).toStrictEqual({ count: 1, provinceCounts: {}, countedUpToPosition: '8' });
    expect(tallies.lastPosition).toBe(8n);
  });

  it('counts per province (regional petitions)', () => {
    const tallies = new SignatureTallies();
    tallies.apply(signed({ signerHash: 'a', provinceId: PROVINCE_A }), 10n);
    tallies.apply(signed({ signerHash: 'b', provinceId: PROVINCE_A }), 11n);
    tallies.apply(signed({ signerHash: 'c', provinceId: PROVINCE_B }), 12n);
    tallies.apply(signatureWithdrawn({ signerHash: 'a', provinceId: PROVINCE_A }), 13n);

    expect(tallies.tallyOf(PETITION_ID)).toStrictEqual({ count: 2, provinceCounts: { [PROVINCE_A]: 1, [PROVINCE_B]: 1 }, countedUpToPosition: '13' });
  });

  it('ignores an event at or below its position (replay after a restart)', () => {
    const tallies = new SignatureTallies();
    tallies.apply(signed({ signerHash: 'a', provinceId: PROVINCE_A }), 20n);
    tallies.apply(signed({ signerHash: 'b', provinceId: PROVINCE_A }), 21n);
    // Replayed: the same positions, and an older one.
    tallies.apply(signed({ signerHash: 'b', provinceId: PROVINCE_A }), 21n);
    tallies.apply(signed({ signerHash: 'a', provinceId: PROVINCE_A }), 20n);
    tallies.apply(signatureWithdrawn({ signerHash: 'a', provinceId: PROVINCE_A }), 5n);

    expect(tallies.tallyOf(PETITION_ID)).toStrictEqual({ count: 2, provinceCounts: { [PROVINCE_A]: 2 }, countedUpToPosition: '21' });
  });

  it('advances past non-signature events, never backwards; countedUpToPosition follows', () => {
    const tallies = new SignatureTallies();
    tallies.apply(signed(), 3n);
    tallies.advanceTo(40n);
    tallies.advanceTo(7n);
    expect(tallies.lastPosition).toBe(40n);
    expect(tallies.tallyOf(PETITION_ID).countedUpToPosition).toBe('40');
    // An event the tally already moved past is not counted.
    tallies.apply(signed({ signerHash: 'late' }), 39n);
    expect(tallies.tallyOf(PETITION_ID).count).toBe(1);
  });

  it('counts positions beyond the safe integer range exactly', () => {
    const tallies = new SignatureTallies();
    const big = 2n ** 63n - 1n;
    tallies.apply(signed(), big);
    expect(tallies.tallyOf(PETITION_ID).countedUpToPosition).toBe('9223372036854775807');
  });

  it('hands out a copy: mutating a tally does not change the counts', () => {
    const tallies = new SignatureTallies();
    tallies.apply(signed({ provinceId: PROVINCE_A }), 1n);
    const t = tallies.tallyOf(PETITION_ID);
    t.provinceCounts[PROVINCE_A] = 999;
    t.count = 999;
    expect(tallies.tallyOf(PETITION_ID)).toStrictEqual({ count: 1, provinceCounts: { [PROVINCE_A]: 1 }, countedUpToPosition: '1' });
  });
});

describe('stored event types', () => {
  const ALL: DomainEventType[] = [
    'SignaturesInvalidated',
    'SignaturesReinstated',
    'AuditCheckpointSigned',
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
    'SignatoryListDownloaded',
    'SignatoryDataErased',
    'SignatoryDataShredded',
    'AgendaSessionMissed',
    'OfficialRegistered',
    'OfficialTermEnded',
    'ThreadOpened',
    'MessagePosted',
    'CouncilAnswerMarked',
    'CommitmentMade',
    'CommitmentKept',
    'CommitmentMissed',
    'MessageHidden',
    'MessageRestored',
    'ThreadClosed',
    'ThreadEscalated',
    'PetitionLinkedToThread',
    'PositionStated',
    'FollowStarted',
    'FollowStopped',
  ];
  /** The types whose shape changed: v2 since the eligibility, documents and agenda-session corrections (PetitionSigned also: numbered paper sheets, sealed particulars). */
  const AT_V2: DomainEventType[] = ['PetitionFiled', 'PetitionSigned', 'PetitionDeclaredAdmissible'];
  const versionOf = (t: DomainEventType) => (AT_V2.includes(t) ? 2 : 1);

  it("stores a type with its version: storedType('PetitionFiled') = 'PetitionFiled.v2'", () => {
    expect(storedType('PetitionFiled')).toBe('PetitionFiled.v2');
    expect(storedType('PetitionClosed')).toBe('PetitionClosed.v1');
  });

  it('knows every domain event type at its current version', () => {
    expect(Object.keys(CURRENT_VERSION).sort()).toEqual([...ALL].sort());
    for (const t of ALL) expect(storedType(t)).toBe(`${t}.v${versionOf(t)}`);
  });

  it('lists every stored name of a type for subscription filters', () => {
    expect(storedTypesOf('PetitionSigned', 'SignatureWithdrawn')).toEqual(['PetitionSigned.v1', 'PetitionSigned.v2', 'SignatureWithdrawn.v1']);
  });

  it('reads a PetitionSigned.v1 as the current shape, its free-text sheet reference kept exactly as stored', () => {
    const v1 = {
      petitionId: 'p',
      signatureId: 's',
      signerHash: 'h',
      channel: 'paper',
      basis: 'residence',
      electoralListRegistered: true,
      paperSheetRef: 'sheet 12, line 7',
      textDigest: 'd',
      signedAt: '2026-01-01T00:00:00.000Z',
    };
    const event = toDomainEvent('PetitionSigned.v1', v1);
    const { electoralListRegistered: _registered, ...rest } = v1;
    expect(event).toEqual({ type: 'PetitionSigned', data: { ...rest, electoralEligibility: 'registered' } });
    expect(event?.data).not.toHaveProperty('paperSheet');
    expect(event?.data).not.toHaveProperty('signatory');
  });

  it('parses a stored type into the domain type and its version', () => {
    expect(parseStoredType('PetitionSigned.v1')).toEqual({ type: 'PetitionSigned', version: 1 });
    for (const t of ALL) expect(parseStoredType(storedType(t))).toEqual({ type: t, version: versionOf(t) });
  });

  it.each(['PetitionFiled', 'PetitionFiled.v', 'PetitionFiled.vX', 'petition.v1', 'UserRegistered.v1', 'constructor.v1', 'toString.v1', '__proto__.v1', ''])(
    'does not parse %p as a domain event type',
    (stored) => {
      expect(parseStoredType(stored)).toBeNull();
    },
  );

  it('turns a stored event into the domain shape', () => {
    const data = { petitionId: PETITION_ID, closedAt: '2027-06-01T10:00:00.000Z' };
    expect(toDomainEvent('PetitionClosed.v1', data)).toStrictEqual({ type: 'PetitionClosed', data });
  });

  it('upcasts a stored PetitionSigned.v1 without reinterpreting it: the declared registration stays "registered"', () => {
    const v1 = {
      petitionId: PETITION_ID,
      signatureId: 's',
      signerHash: 'h',
      channel: 'paper',
      basis: 'residence',
      electoralListRegistered: true,
      textDigest: 'd',
      signedAt: 't',
    };
    const { electoralListRegistered: _, ...rest } = v1;
    expect(toDomainEvent('PetitionSigned.v1', v1)).toStrictEqual({ type: 'PetitionSigned', data: { ...rest, electoralEligibility: 'registered' } });
  });

  it('upcasts a stored PetitionFiled.v1 with no declared documents (null: not declared), and PetitionDeclaredAdmissible.v1 with no target session', () => {
    const filedV1 = { petitionId: PETITION_ID, councilId: 'c', title: 't' };
    expect(toDomainEvent('PetitionFiled.v1', filedV1)).toStrictEqual({ type: 'PetitionFiled', data: { ...filedV1, declaredDocuments: null } });
    const admissibleV1 = { petitionId: PETITION_ID, agendaSession: 'Session de mai', committee: 'Commission', decidedAt: 't' };
    expect(toDomainEvent('PetitionDeclaredAdmissible.v1', admissibleV1)).toStrictEqual({
      type: 'PetitionDeclaredAdmissible',
      data: { ...admissibleV1, targetSession: null },
    });
    // The current version is read as stored.
    expect(toDomainEvent('PetitionFiled.v2', { ...filedV1, declaredDocuments: null })).toStrictEqual({
      type: 'PetitionFiled',
      data: { ...filedV1, declaredDocuments: null },
    });
  });

  it.each(['UserRegistered.v1', 'PetitionFiled', 'constructor.v1', 'hasOwnProperty.v1'])('returns null for the foreign type %p', (stored) => {
    expect(toDomainEvent(stored, { anything: true })).toBeNull();
  });
});
