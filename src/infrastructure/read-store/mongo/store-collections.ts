/**
 * MongoDB read store: the store's own collections (`readstore.checkpoints`, `readstore.leases`,
 * `readstore.settings`; the dot keeps them apart from every port collection), lease taking and
 * the commit fence, and the server error codes the store handles by number.
 */
import { MongoServerError } from 'mongodb';
import type { ClientSession, Db } from 'mongodb';
import { FencedError, Lease, WriteBatch } from '../read-store.port';

export const CHECKPOINTS = 'readstore.checkpoints';
export const LEASES = 'readstore.leases';
export const SETTINGS = 'readstore.settings';

/** Server error codes handled by number. */
export const DUPLICATE_KEY = 11000;
export const NAMESPACE_NOT_FOUND = 26;
export const NAMESPACE_EXISTS = 48;

export interface CheckpointDocument {
  _id: string;
  /** Decimal string: what getCheckpoint returns. */
  position: string;
  /** Int64 copy, for queries and tools. */
  pos: unknown;
}

export interface LeaseDocument {
  _id: string;
  owner: string | null;
  token: number;
  expiresAt: number | null;
  /** Bumped by every fenced commit, so that a concurrent takeover conflicts with it. */
  fencedCommits?: number;
}

export interface SettingDocument {
  _id: string;
  value: string;
}

export function isServerError(error: unknown, code: number): boolean {
  return error instanceof MongoServerError && error.code === code;
}

/**
 * One atomic findOneAndUpdate (see MongoReadStore.acquireLease): the lease, or null when another
 * owner holds it (the upsert then collides with the existing _id).
 */
export async function acquireLease(db: Db, name: string, owner: string, ttlMs: number, nowMs: number | 'server'): Promise<Lease | null> {
  // On the server's clock ($$NOW, one value for the whole operation), every instance judges
  // expiry by the same clock: a skewed host can neither steal a live lease nor keep a dead one.
  const now = nowMs === 'server' ? { $toLong: '$$NOW' } : { $literal: nowMs };
  try {
    const doc = await db.collection<LeaseDocument>(LEASES).findOneAndUpdate(
      { _id: name, $or: [{ owner }, { owner: null }, { expiresAt: null }, { $expr: { $lte: ['$expiresAt', now] } }] },
      [
        {
          $set: {
            token: {
              $cond: [{ $and: [{ $eq: ['$owner', { $literal: owner }] }, { $gt: ['$expiresAt', now] }] }, '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }],
            },
            owner: { $literal: owner },
            expiresAt: { $add: [now, { $literal: ttlMs }] },
          },
        },
      ],
      { upsert: true, returnDocument: 'after' },
    );
    if (!doc) return null;
    return { name, owner, token: Number(doc.token), expiresAt: Number(doc.expiresAt) };
  } catch (error) {
    if (isServerError(error, DUPLICATE_KEY)) return null;
    throw error;
  }
}

/**
 * The fence is a write to the lease document inside the transaction: a takeover committed
 * before our snapshot leaves another token (FencedError, nothing written); one racing with us
 * is a write conflict, which withTransaction retries, and the retry sees the new token. (A
 * plain read would not conflict with the takeover.)
 */
export async function checkFence(db: Db, fence: NonNullable<WriteBatch['fence']>, session: ClientSession): Promise<void> {
  const result = await db.collection<LeaseDocument>(LEASES).updateOne({ _id: fence.lease, token: fence.token }, { $inc: { fencedCommits: 1 } }, { session });
  if (result.matchedCount === 0) {
    throw new FencedError(`Lease ${fence.lease} has moved on (fenced with token ${fence.token}): nothing written`);
  }
}
