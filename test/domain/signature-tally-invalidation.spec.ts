/**
 * The counting rule for fraud checks, as the command side's tally folds it: a listed signature
 * stops counting unless already withdrawn or invalidated; withdrawing an invalidated signature
 * changes no count; a reinstatement counts again only what is still invalidated. Deterministic:
 * the same events in the same order give the same count, whatever was signed after.
 */
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { SignatureTallies } from '../../src/domain/signature/signature-tally';
import type { SignatureEvent } from '../../src/domain/signature/signature.events';
import { NOW, PETITION_ID, PROVINCE_A, PROVINCE_B, signatureWithdrawn, signed } from './fixtures';

const sig = (n: number, province?: string) => ({ signatureId: `sig-${n}`, signerHash: `h${n}`, ...(province ? { provinceId: province } : {}) });
const invalidated = (id: string, list: ReturnType<typeof sig>[]): InvalidationEvent => ({
  type: 'SignaturesInvalidated',
  data: {
    petitionId: PETITION_ID,
    invalidationId: id,
    reasonCode: 'automated_or_forged',
    criteria: { signatureIds: list.map((s) => s.signatureId) },
    signatures: list,
    count: list.length,
    petitionStatus: 'collecting',
    invalidatedAt: NOW,
  },
});
const reinstated = (id: string, list: ReturnType<typeof sig>[]): InvalidationEvent => ({
  type: 'SignaturesReinstated',
  data: { petitionId: PETITION_ID, invalidationId: id, reasonCode: 'verified_valid', signatures: list, count: list.length, reinstatedAt: NOW },
});

function fold(events: (SignatureEvent | InvalidationEvent)[]): SignatureTallies {
  const tallies = new SignatureTallies();
  events.forEach((e, i) => tallies.apply(e, BigInt(i + 1)));
  return tallies;
}

const signedN = (n: number, province?: string) => signed({ signatureId: `sig-${n}`, signerHash: `h${n}`, ...(province ? { provinceId: province } : {}) });

it('an invalidation takes its signatures off the count, per province too; a reinstatement gives them back', () => {
  const events = [signedN(1, PROVINCE_A), signedN(2, PROVINCE_A), signedN(3, PROVINCE_B), invalidated('i1', [sig(1, PROVINCE_A), sig(3, PROVINCE_B)])];
  const tallies = fold(events);
  expect(tallies.tallyOf(PETITION_ID)).toMatchObject({ count: 1, provinceCounts: { [PROVINCE_A]: 1, [PROVINCE_B]: 0 } });
  expect(tallies.invalidatedOf(PETITION_ID)).toBe(2);
  const after = fold([...events, reinstated('i1', [sig(1, PROVINCE_A), sig(3, PROVINCE_B)])]);
  expect(after.tallyOf(PETITION_ID)).toMatchObject({ count: 3, provinceCounts: { [PROVINCE_A]: 2, [PROVINCE_B]: 1 } });
  expect(after.invalidatedOf(PETITION_ID)).toBe(0);
});

it('a signature withdrawn before the invalidation landed (a race) is not taken off twice', () => {
  const tallies = fold([signedN(1), signedN(2), signatureWithdrawn({ signatureId: 'sig-1', signerHash: 'h1' }), invalidated('i1', [sig(1), sig(2)])]);
  expect(tallies.tallyOf(PETITION_ID).count).toBe(0);
  expect(tallies.invalidatedOf(PETITION_ID)).toBe(1);
});

it('withdrawing an invalidated signature changes no count, and a reinstatement does not bring it back', () => {
  const tallies = fold([
    signedN(1),
    signedN(2),
    invalidated('i1', [sig(1), sig(2)]),
    signatureWithdrawn({ signatureId: 'sig-1', signerHash: 'h1' }),
    reinstated('i1', [sig(1), sig(2)]),
  ]);
  expect(tallies.tallyOf(PETITION_ID).count).toBe(1);
});

it('a signature listed by two invalidations counts off once; a reinstatement of an invalidation that no longer holds it changes nothing', () => {
  const tallies = fold([
    signedN(1),
    signedN(2),
    invalidated('i1', [sig(1)]),
    invalidated('i2', [sig(1), sig(2)]),
    reinstated('i1', [sig(1)]),
    reinstated('i1', [sig(1)]),
  ]);
  // i1's reinstatement counts sig-1 again once (the second changes nothing); sig-2 stays invalidated by i2.
  expect(tallies.tallyOf(PETITION_ID).count).toBe(1);
});

it('later signatures do not change what an invalidation did', () => {
  const before = [signedN(1), signedN(2), invalidated('i1', [sig(1)])];
  const tallies = fold([...before, signedN(3), signedN(4)]);
  expect(tallies.tallyOf(PETITION_ID).count).toBe(3);
  expect(tallies.invalidatedOf(PETITION_ID)).toBe(1);
});

it('a replayed event is not counted twice', () => {
  const tallies = fold([signedN(1), signedN(2)]);
  const event = invalidated('i1', [sig(1)]);
  tallies.apply(event, 3n);
  tallies.apply(event, 3n);
  tallies.apply(reinstated('i1', [sig(1)]), 2n); // an older position: already counted
  expect(tallies.tallyOf(PETITION_ID).count).toBe(1);
});
