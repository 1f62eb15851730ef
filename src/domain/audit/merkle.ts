/**
 * The Merkle log over every event, in global position order (RFC 9162 §2.1, SHA-256):
 * leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right). An event's entry is the
 * 32 bytes of its hash-chain link (`metadata.chain.hash`), so altering a stored event breaks both
 * its chain and its leaf.
 *
 * Pure: hashing with node:crypto, proofs generated from any source of complete-subtree hashes
 * (the log keeps them stored, so a proof costs O(log n) lookups at any past tree size), and the
 * verifiers an auditor runs offline.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export const leafHash = (entry: Uint8Array): Hash =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(entry)
    .digest();

export const nodeHash = (left: Uint8Array, right: Uint8Array): Hash =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();

/** The leaf of an event: its chain hash (64 hex digits) as 32 bytes. */
export function eventLeaf(chainHashHex: string): Hash {
  if (!/^[0-9a-f]{64}$/.test(chainHashHex)) throw new Error(`Not a chain hash: ${chainHashHex}`);
  return leafHash(Buffer.from(chainHashHex, 'hex'));
}

/** Largest power of two strictly less than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && Number.isInteger(Math.log2(n));

/** Hash of the complete subtree of 2^level leaves starting at leaf index × 2^level. */
export type NodeSource = (level: number, index: number) => Promise<Hash> | Hash;

/**
 * MTH(D[start:end]) from complete-subtree hashes: ranges produced by RFC 9162's recursion are
 * aligned, so a power-of-two range is one stored node and any other splits at most log n times.
 */
export async function rangeHash(start: number, end: number, node: NodeSource): Promise<Hash> {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return node(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(await rangeHash(start, start + k, node), await rangeHash(start + k, end, node));
}

export const rootAt = (size: number, node: NodeSource): Promise<Hash> => rangeHash(0, size, node);

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]), over leaves [start, start+n). */
export async function inclusionProof(index: number, size: number, node: NodeSource): Promise<Hash[]> {
  if (!(index >= 0 && index < size)) throw new RangeError(`Leaf ${index} is not in a tree of size ${size}`);
  const path: Hash[] = [];
  let start = 0;
  let n = size;
  let m = index;
  const siblings: Array<[number, number]> = [];
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      siblings.push([start + k, start + n]);
      n = k;
    } else {
      siblings.push([start, start + k]);
      start += k;
      m -= k;
      n -= k;
    }
  }
  // Siblings were found root-down; the proof lists them leaf-up.
  for (const [s, e] of siblings.reverse()) path.push(await rangeHash(s, e, node));
  return path;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) for 0 < m ≤ n. */
export async function consistencyProof(size1: number, size2: number, node: NodeSource): Promise<Hash[]> {
  if (!(size1 > 0 && size1 <= size2)) throw new RangeError(`No consistency proof from ${size1} to ${size2}`);
  if (size1 === size2) return [];
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let n = size2;
  let m = size1;
  let complete = true;
  for (;;) {
    if (m === n) {
      if (!complete) ranges.push([start, start + n]);
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push([start + k, start + n]);
      n = k;
    } else {
      ranges.push([start, start + k]);
      start += k;
      m -= k;
      n -= k;
      complete = false;
    }
  }
  const proof: Hash[] = [];
  for (const [s, e] of ranges.reverse()) proof.push(await rangeHash(s, e, node));
  return proof;
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** RFC 9162 §2.1.3.2: does `proof` place `leaf` at `index` in the tree of `size` leaves with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of `size2` leaves with `root2` an extension of the one of `size1` with `root1`? */
export function verifyConsistency(size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): boolean {
  if (size1 <= 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

/**
 * The nodes a new leaf completes: the leaf itself at level 0, then each parent whose right child it
 * closes. `left(level, index)` gives an already stored node (always a left sibling on the right edge).
 */
export function completedNodes(index: number, leaf: Hash, left: (level: number, index: number) => Hash): Array<{ level: number; index: number; hash: Hash }> {
  const out = [{ level: 0, index, hash: leaf }];
  let level = 0;
  let i = index;
  let h = leaf;
  while (i % 2 === 1) {
    h = nodeHash(left(level, i - 1), h);
    i = (i - 1) / 2;
    level += 1;
    out.push({ level, index: i, hash: h });
  }
  return out;
}
