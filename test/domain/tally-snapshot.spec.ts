/**
 * A tally's snapshot: what it holds (counts, provinces, the withdrawn and invalidated signatures
 * the folding rule needs), that a loaded tally folds later events exactly as the original, and
 * that anything but a well-formed version 1 is refused rather than trusted.
 */
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { SignatureTallies, TallySnapshotError } from '../../src/domain/signature/signature-tally';
import { NOW, PETITION_ID, PROVINCE_A, PROVINCE_B, signatureWithdrawn, signed } from './fixtures';

const anchor = { eventId: 'e-9', streamId: 'signature-p-h', revision: '0' };
const invalidated = (signatures: { signatureId: string; signerHash: string; provinceId?: string }[]): InvalidationEvent => ({
  type: 'SignaturesInvalidated',
  data: {
    petitionId: PETITION_ID,
    invalidationId: 'inv-1',
    reasonCode: 'automated_or_forged',
    criteria: {},
    signatures,
    count: signatures.length,
    petitionStatus: 'collecting',
    invalidatedAt: NOW,
  },
});

function sample(): SignatureTallies {
  const t = new SignatureTallies();
  t.apply(signed({ signerHash: 'a', signatureId: 's-a', provinceId: PROVINCE_A }), 1n);
  t.apply(signed({ signerHash: 'b', signatureId: 's-b', provinceId: PROVINCE_A }), 2n);
  t.apply(signed({ signerHash: 'c', signatureId: 's-c', provinceId: PROVINCE_B }), 3n);
  t.apply(signatureWithdrawn({ signerHash: 'a', signatureId: 's-a', provinceId: PROVINCE_A }), 4n);
  t.apply(invalidated([{ signatureId: 's-c', signerHash: 'c', provinceId: PROVINCE_B }]), 5n);
  return t;
}

it('holds counts per province and the withdrawn and invalidated signatures, at its position', () => {
  expect(sample().toSnapshot(anchor)).toStrictEqual({
    version: 1,
    position: '5',
    anchor,
    petitions: [
      { petitionId: PETITION_ID, count: 1, provinceCounts: { [PROVINCE_A]: 1, [PROVINCE_B]: 0 }, invalidated: [['s-c', PROVINCE_B]], withdrawn: ['s-a'] },
    ],
  });
});

it('a loaded tally (through JSON) folds later events as the original does', () => {
  const original = sample();
  const { tallies: loaded, anchor: loadedAnchor } = SignatureTallies.fromSnapshot(JSON.parse(JSON.stringify(original.toSnapshot(anchor))));
  expect(loadedAnchor).toStrictEqual(anchor);
  expect(loaded.lastPosition).toBe(5n);
  const later = [
    // Invalidating a signature withdrawn before the snapshot changes nothing; reinstating one invalidated before it counts it again.
    invalidated([{ signatureId: 's-a', signerHash: 'a', provinceId: PROVINCE_A }]),
    {
      type: 'SignaturesReinstated',
      data: {
        petitionId: PETITION_ID,
        invalidationId: 'inv-1',
        reasonCode: 'verified_valid',
        signatures: [{ signatureId: 's-c', signerHash: 'c', provinceId: PROVINCE_B }],
        count: 1,
        reinstatedAt: NOW,
      },
    } as InvalidationEvent,
  ];
  later.forEach((e, i) => {
    original.apply(e, 6n + BigInt(i));
    loaded.apply(e, 6n + BigInt(i));
  });
  expect(loaded.tallyOf(PETITION_ID)).toStrictEqual(original.tallyOf(PETITION_ID));
  expect(loaded.tallyOf(PETITION_ID)).toStrictEqual({ count: 2, provinceCounts: { [PROVINCE_A]: 1, [PROVINCE_B]: 1 }, countedUpToPosition: '7' });
  expect(loaded.invalidatedOf(PETITION_ID)).toBe(0);
});

describe('refuses what it cannot trust', () => {
  const good = () => JSON.parse(JSON.stringify(sample().toSnapshot(anchor))) as Record<string, unknown> & { petitions: Record<string, unknown>[] };
  const cases: [string, (s: ReturnType<typeof good>) => unknown][] = [
    ['not an object', () => 'text'],
    ['an unknown version', (s) => ({ ...s, version: 2 })],
    ['no version', (s) => ({ ...s, version: undefined })],
    ['a position that is not a decimal', (s) => ({ ...s, position: '0x5' })],
    ['position 0', (s) => ({ ...s, position: '0' })],
    ['no anchor', (s) => ({ ...s, anchor: null })],
    ['petitions not a list', (s) => ({ ...s, petitions: {} })],
    ['a petition twice', (s) => ({ ...s, petitions: [s.petitions[0], s.petitions[0]] })],
    ['a fractional count', (s) => ({ ...s, petitions: [{ ...s.petitions[0], count: 1.5 }] })],
    ['a province count that is not a number', (s) => ({ ...s, petitions: [{ ...s.petitions[0], provinceCounts: { [PROVINCE_A]: '1' } }] })],
    ['a withdrawn id that is not a string', (s) => ({ ...s, petitions: [{ ...s.petitions[0], withdrawn: [7] }] })],
    ['an invalidated entry without its province slot', (s) => ({ ...s, petitions: [{ ...s.petitions[0], invalidated: [['s-c']] }] })],
  ];
  it.each(cases)('%s', (_name, corrupt) => {
    expect(() => SignatureTallies.fromSnapshot(corrupt(good()))).toThrow(TallySnapshotError);
  });
});
