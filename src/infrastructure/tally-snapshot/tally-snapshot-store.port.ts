/**
 * Where a process keeps its signature tally between runs (a derived value: without it, a process
 * counts again from the event log). One snapshot per name; several processes may save to the same
 * store, and a save never replaces a snapshot at the same or a later position with an older one.
 */
export const TALLY_SNAPSHOT_STORE = Symbol('TALLY_SNAPSHOT_STORE');

export interface StoredTallySnapshot {
  /** The event-store position the snapshot counts up to (every event at or below it is in). */
  position: bigint;
  /** The serialised tally (JSON); its reader validates it. */
  payload: string;
}

export interface TallySnapshotStore {
  load(name: string): Promise<StoredTallySnapshot | undefined>;
  /** Stores the snapshot unless one at the same or a later position is stored; resolves to whether it did. */
  save(name: string, snapshot: StoredTallySnapshot): Promise<boolean>;
  /** Drops the snapshot stored at exactly `position` (one found untrustworthy), leaving a newer one in place. */
  discard(name: string, position: bigint): Promise<void>;
}
