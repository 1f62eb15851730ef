/**
 * Fraud checks on the read side: the petition page, the signatures list and the daily series fold
 * invalidations and reinstatements by the same rule as the command side's tally, including a
 * withdrawal that races an invalidation listing it, and whatever the batch boundaries.
 */
import { newId } from '../../src/application/clock';
import { toDomainEvent } from '../../src/domain/event-types';
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { SignatureTallies } from '../../src/domain/signature/signature-tally';
import type { SignatureEvent } from '../../src/domain/signature/signature.events';
import type { RecordedEvent } from '../../src/infrastructure/event-store/event-store.port';
import { PETITIONS, PetitionDoc } from '../../src/projections/petitions.projection';
import { physicalName } from '../../src/projections/projection';
import { SIGNATURE_DAYS, SIGNATURES, SignatureDayDoc, SignatureDoc } from '../../src/projections/signatures.projection';
import { allDocs, applyEvents, openStores, readAllEvents, snapshot, Stores } from './support';

const TAN_TAN = 'commune-tan-tan';
const g1 = (logical: string) => physicalName(logical, 1);

let s: Stores;
beforeEach(() => (s = openStores()));
afterEach(async () => s.close());

/** Appends a fraud-check event to the petition's invalidation stream, as the command side does (clerk metadata). */
async function appendCheck(event: InvalidationEvent, at: string): Promise<void> {
  await s.events.appendToStream(
    `invalidations-${event.data.petitionId}`,
    [
      {
        id: newId(),
        type: `${event.type}.v1`,
        data: event.data,
        metadata: {
          actor: { id: 'clerk-1', role: 'clerk', councilId: TAN_TAN },
          correlationId: newId(),
          causationId: newId(),
          command: event.type === 'SignaturesInvalidated' ? 'InvalidateSignatures' : 'ReinstateSignatures',
          occurredAt: at,
        },
      },
    ],
    { expectedRevision: 'any' },
  );
}

/** The projections that count signatures: petitions (with signature_flags) and signatures (with signature_days). */
const counting = (stores: Stores) => stores.projections.filter((p) => p.name === 'petitions' || p.name === 'signatures');

const signedEvents = async (petitionId: string) =>
  (await readAllEvents(s.events)).filter((e) => e.type.startsWith('PetitionSigned.') && e.data.petitionId === petitionId);
const listed = (e: RecordedEvent) => ({ signatureId: e.data.signatureId as string, signerHash: e.data.signerHash as string });

function invalidated(petitionId: string, invalidationId: string, list: RecordedEvent[], at: string): InvalidationEvent {
  return {
    type: 'SignaturesInvalidated',
    data: {
      petitionId,
      invalidationId,
      reasonCode: 'automated_or_forged',
      criteria: { channel: 'online' },
      signatures: list.map(listed),
      count: list.length,
      petitionStatus: 'collecting',
      invalidatedAt: at,
    },
  };
}

function tallyOfAll(recorded: RecordedEvent[], petitionId: string) {
  const tallies = new SignatureTallies();
  for (const r of recorded) {
    const event = toDomainEvent(r.type, r.data);
    if (event && ['PetitionSigned', 'SignatureWithdrawn', 'SignaturesInvalidated', 'SignaturesReinstated'].includes(event.type)) {
      tallies.apply(event as SignatureEvent | InvalidationEvent, r.position);
    }
  }
  return tallies.tallyOf(petitionId);
}

it('counts, states and the daily series follow an invalidation, a racing withdrawal and a reinstatement; the page agrees with the tally', async () => {
  const id = await s.scenario.file(TAN_TAN);
  const identityNumbers = await s.scenario.sign(id, 12);
  const signed = await signedEvents(id);
  const at = s.scenario.clock.now().toISOString();
  // The race: signer 0 withdraws after the check was decided on their standing signature, before it was appended.
  await s.scenario.withdrawSignature(id, identityNumbers[0]);
  await appendCheck(invalidated(id, 'inv-1', signed.slice(0, 5), at), at);
  // Signer 1 withdraws an invalidated signature: no count changes.
  await s.scenario.withdrawSignature(id, identityNumbers[1]);
  await appendCheck(
    {
      type: 'SignaturesReinstated',
      data: { petitionId: id, invalidationId: 'inv-1', reasonCode: 'verified_valid', signatures: signed.slice(2, 4).map(listed), count: 2, reinstatedAt: at },
    },
    at,
  );

  const recorded = await readAllEvents(s.events);
  await applyEvents(s.read, s.projections, recorded, 3);

  // 12 signed; 0 withdrawn first (−1); 1..4 invalidated (−4, 0 was already withdrawn); 1 withdrawn while invalidated (±0); 2, 3 reinstated (+2).
  const tally = tallyOfAll(recorded, id);
  expect(tally.count).toBe(9);
  const page = (await s.read.get<PetitionDoc>(g1(PETITIONS), id))!;
  expect(page).toMatchObject({ signatureCount: tally.count, invalidatedCount: 1 });
  expect(page.invalidations).toEqual([expect.objectContaining({ invalidationId: 'inv-1', count: 4, reinstated: 2, withdrawn: 1, active: 1 })]);

  const docs = await allDocs<SignatureDoc>(s.read, g1(SIGNATURES));
  const state = (i: number) => docs.find((d) => d._id === signed[i].data.signatureId)!.status;
  expect([0, 1, 2, 3, 4, 5].map(state)).toEqual(['withdrawn', 'withdrawn', 'signed', 'signed', 'invalidated', 'signed']);

  const days = await allDocs<SignatureDayDoc>(s.read, g1(SIGNATURE_DAYS));
  const net = days.reduce((n, d) => n + d.signed - d.withdrawn - (d.invalidated ?? 0) + (d.reinstated ?? 0), 0);
  expect(net).toBe(tally.count);
});

it('gives the same documents whatever the batch boundaries, and a replay changes nothing', async () => {
  const id = await s.scenario.file(TAN_TAN);
  await s.scenario.sign(id, 8);
  const signed = await signedEvents(id);
  const at = s.scenario.clock.now().toISOString();
  await appendCheck(invalidated(id, 'inv-1', signed.slice(0, 3), at), at);
  await s.scenario.sign(id, 2); // later signatures do not change what the invalidation did
  const recorded = await readAllEvents(s.events);

  await applyEvents(s.read, s.projections, recorded, 1);
  const one = await snapshot(s.read, counting(s));
  await applyEvents(s.read, s.projections, recorded, 4); // a replay of everything
  expect(await snapshot(s.read, counting(s))).toEqual(one);

  const other = openStores();
  try {
    await applyEvents(other.read, other.projections, recorded, 1000);
    expect(await snapshot(other.read, counting(other))).toEqual(one);
  } finally {
    await other.close();
  }
  expect((await s.read.get<PetitionDoc>(g1(PETITIONS), id))!.signatureCount).toBe(7);
});
