/** The Merkle log's hashing and proofs against RFC 6962 / 9162 known answers, then random trees. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  completedNodes,
  consistencyProof,
  EMPTY_ROOT,
  Hash,
  inclusionProof,
  leafHash,
  nodeHash,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/audit/merkle';

interface Vectors {
  emptyRoot: string;
  leafInputs: string[];
  leafHashes: string[];
  rootsBySize: Record<string, string>;
  inclusion: Array<{ leafIndex: number; treeSize: number; proof: string[] }>;
  consistency: Array<{ size1: number; size2: number; proof: string[] }>;
}
// Known answers from the public test data of transparency-dev/merkle (see the file's `about`), kept beside the spec.
const vectors = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'merkle-rfc6962-vectors.json'), 'utf8')) as Vectors;
const hex = (h: Hash) => h.toString('hex');
const buf = (s: string) => Buffer.from(s, 'hex');

/** A tree kept the way the log keeps it: every completed node, appended leaf by leaf. */
function build(leaves: Hash[]) {
  const nodes = new Map<string, Hash>();
  leaves.forEach((leaf, i) => {
    for (const n of completedNodes(i, leaf, (l, j) => nodes.get(`${l}:${j}`)!)) nodes.set(`${n.level}:${n.index}`, n.hash);
  });
  return (level: number, index: number) => {
    const h = nodes.get(`${level}:${index}`);
    if (!h) throw new Error(`no node ${level}:${index}`);
    return h;
  };
}

/** RFC 9162 MTH, straight from the definition. */
function mth(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaves = vectors.leafInputs.map((i) => leafHash(buf(i)));
const node = build(leaves);

it('hashes every known leaf', () => {
  expect(leaves.map(hex)).toEqual(vectors.leafHashes);
  expect(hex(EMPTY_ROOT)).toBe(vectors.emptyRoot);
});

it.each(Object.entries(vectors.rootsBySize))('gives the known root at size %s', async (size, root) => {
  expect(hex(await rootAt(Number(size), node))).toBe(root);
});

it.each(vectors.inclusion.map((v) => [v.leafIndex, v.treeSize, v]))('proves and verifies inclusion of leaf %i in size %i', async (_i, _s, v) => {
  const proof = await inclusionProof(v.leafIndex, v.treeSize, node);
  expect(proof.map(hex)).toEqual(v.proof);
  const root = buf(vectors.rootsBySize[String(v.treeSize)]);
  expect(verifyInclusion(v.leafIndex, v.treeSize, leaves[v.leafIndex], proof, root)).toBe(true);
  expect(verifyInclusion(v.leafIndex, v.treeSize, leafHash(Buffer.from('other')), proof, root)).toBe(false);
  if (proof.length) {
    const bent = proof.map((p, j) => (j === 0 ? nodeHash(p, p) : p));
    expect(verifyInclusion(v.leafIndex, v.treeSize, leaves[v.leafIndex], bent, root)).toBe(false);
  }
});

it.each(vectors.consistency.map((v) => [v.size1, v.size2, v]))('proves and verifies consistency from %i to %i', async (_a, _b, v) => {
  const proof = await consistencyProof(v.size1, v.size2, node);
  expect(proof.map(hex)).toEqual(v.proof);
  const r1 = buf(vectors.rootsBySize[String(v.size1)]);
  const r2 = buf(vectors.rootsBySize[String(v.size2)]);
  expect(verifyConsistency(v.size1, v.size2, proof, r1, r2)).toBe(true);
  expect(verifyConsistency(v.size1, v.size2, proof, r2, r1)).toBe(v.size1 === v.size2);
  if (proof.length) expect(verifyConsistency(v.size1, v.size2, proof.slice(1), r1, r2)).toBe(false);
});

it('agrees with the definition on every size up to 70, every inclusion and consistency', async () => {
  const many = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
  const stored = build(many);
  for (let n = 1; n <= many.length; n++) {
    const root = mth(many.slice(0, n));
    expect(hex(await rootAt(n, stored))).toBe(hex(root));
    for (let i = 0; i < n; i++) expect(verifyInclusion(i, n, many[i], await inclusionProof(i, n, stored), root)).toBe(true);
    for (let m = 1; m <= n; m++) {
      expect(verifyConsistency(m, n, await consistencyProof(m, n, stored), mth(many.slice(0, m)), root)).toBe(true);
    }
  }
  // A leaf verified at the wrong index fails.
  const root = mth(many.slice(0, 70));
  expect(verifyInclusion(4, 70, many[5], await inclusionProof(5, 70, stored), root)).toBe(false);
});
