import { foldPetition } from '../../src/domain/petition/petition.state';
import {
  answered,
  closed,
  deadlineMissed,
  declaredAdmissible,
  declaredInadmissible,
  filed,
  petitionWithdrawn,
  RESPONSE_DUE_AT,
  SUBMITTED_AT,
  submitted,
  TEXT,
  TEXT_DIGEST,
  thresholdReached,
  MAY_2027_SESSION,
  sessionMissed,
} from './fixtures';

describe('petition state (fold of the lifecycle events)', () => {
  const filedFacts = {
    id: 'pet-1',
    councilId: 'commune-small',
    councilLevel: 'commune',
    petitionerType: 'citizens',
    ownerId: 'user-agent',
    title: TEXT.title,
    textDigest: TEXT_DIGEST,
    threshold: { required: 100 },
    thresholdApplies: true,
    responseDeadlineMonths: 3,
    filedAt: '2027-01-10T09:00:00.000Z',
  };
  const submission = {
    submittedAt: SUBMITTED_AT,
    signatureCountAtSubmission: 104,
    countedUpToPosition: '150',
    responseDueAt: RESPONSE_DUE_AT,
    deadlineMissed: false,
  };

  it('is null until filed', () => {
    expect(foldPetition([])).toBeNull();
  });

  it('collects once filed, tracking whether the threshold was recorded', () => {
    expect(foldPetition([filed()])).toStrictEqual({ ...filedFacts, status: 'collecting', thresholdReached: false, closed: false });
    expect(foldPetition([filed(), thresholdReached()])).toMatchObject({ status: 'collecting', thresholdReached: true });
  });

  it('leaves collection behind on submission: the submission facts, and the due date, exist from then on', () => {
    expect(foldPetition([filed(), thresholdReached(), submitted()])).toStrictEqual({ ...filedFacts, ...submission, status: 'submitted', closed: false });
    expect(foldPetition([filed(), submitted(), deadlineMissed()])).toMatchObject({ status: 'submitted', deadlineMissed: true });
  });

  it('carries the decision, the response and the closure of the petition', () => {
    expect(foldPetition([filed(), submitted(), declaredAdmissible()])).toStrictEqual({
      ...filedFacts,
      ...submission,
      status: 'admissible',
      decidedAt: '2027-02-20T10:00:00.000Z',
      targetSession: MAY_2027_SESSION,
      sessionMissed: false,
      closed: false,
    });
    expect(foldPetition([filed(), submitted(), declaredAdmissible(), sessionMissed()])).toMatchObject({ status: 'admissible', sessionMissed: true });
    expect(foldPetition([filed(), submitted(), declaredAdmissible(), answered(), closed()])).toStrictEqual({
      ...filedFacts,
      ...submission,
      status: 'answered',
      decidedAt: '2027-02-20T10:00:00.000Z',
      targetSession: MAY_2027_SESSION,
      sessionMissed: false,
      decision: 'adopted',
      answeredAt: '2027-05-06T16:00:00.000Z',
      closed: true,
      closedAt: '2027-06-01T10:00:00.000Z',
    });
    expect(foldPetition([filed(), submitted(), declaredInadmissible(), closed()])).toMatchObject({ status: 'inadmissible', closed: true });
  });

  it('keeps what was submitted when a submitted petition is withdrawn', () => {
    expect(foldPetition([filed(), petitionWithdrawn()])).toStrictEqual({
      ...filedFacts,
      status: 'withdrawn',
      withdrawnAt: '2027-01-20T10:00:00.000Z',
      closed: false,
    });
    expect(foldPetition([filed(), submitted(), petitionWithdrawn()])).toStrictEqual({
      ...filedFacts,
      ...submission,
      status: 'withdrawn',
      withdrawnAt: '2027-01-20T10:00:00.000Z',
      closed: false,
    });
  });

  it('leaves the state as it is for an event its status cannot follow (the decider never records one)', () => {
    const collecting = foldPetition([filed()]);
    expect(foldPetition([closed(), deadlineMissed(), answered()], collecting)).toStrictEqual(collecting);
    const admissible = foldPetition([filed(), submitted(), declaredAdmissible()]);
    expect(foldPetition([thresholdReached(), submitted(), petitionWithdrawn(), declaredInadmissible()], admissible)).toStrictEqual(admissible);
  });
});
