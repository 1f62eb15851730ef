/**
 * Storage of the Merkle log (a derived structure, rebuildable from the event log): one row per
 * leaf (which event it is) and the hash of every complete subtree, so a proof at any tree size up
 * to the current one is O(log n) lookups and an append writes O(log n) nodes.
 */
export const MERKLE_STORE = Symbol('MERKLE_STORE');

export interface MerkleLeaf {
  index: number;
  position: bigint;
  streamId: string;
  revision: bigint;
}

export interface MerkleNode {
  level: number;
  index: number;
  hash: Buffer;
}

export class MerkleConflictError extends Error {
  override name = 'MerkleConflictError';
}

export interface MerkleStore {
  /** Leaves stored and the global position of the last one (0n when none). */
  head(): Promise<{ size: number; lastPosition: bigint }>;
  /** Atomically stores leaves `expectedSize …` and the nodes they complete; MerkleConflictError if another writer moved the head. */
  append(expectedSize: number, leaves: MerkleLeaf[], nodes: MerkleNode[]): Promise<void>;
  node(level: number, index: number): Promise<Buffer | undefined>;
  leafAtPosition(position: bigint): Promise<MerkleLeaf | undefined>;
  leafAt(index: number): Promise<MerkleLeaf | undefined>;
  /** Leaves of the streams whose ids start with one of the prefixes (or equal `streamIds`), index below `size`, in index order. */
  leavesOfStreams(streamIds: string[], prefixes: string[], size: number): Promise<MerkleLeaf[]>;
}
