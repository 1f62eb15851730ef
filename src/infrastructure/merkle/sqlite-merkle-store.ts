import type Database from 'better-sqlite3';
import { MerkleConflictError, MerkleLeaf, MerkleNode, MerkleStore } from './merkle-store.port';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS merkle_leaves (
  leaf_index INTEGER PRIMARY KEY,
  position   INTEGER NOT NULL UNIQUE,
  stream_id  TEXT    NOT NULL,
  revision   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS merkle_leaves_stream ON merkle_leaves (stream_id, leaf_index);
CREATE TABLE IF NOT EXISTS merkle_nodes (
  level      INTEGER NOT NULL,
  node_index INTEGER NOT NULL,
  hash       BLOB    NOT NULL,
  PRIMARY KEY (level, node_index)
) WITHOUT ROWID;
`;

/** Highest code point: `prefix + PREFIX_END` bounds every string that starts with `prefix`. */
const PREFIX_END = '\u{10FFFF}';

interface LeafRow {
  leaf_index: bigint;
  position: bigint;
  stream_id: string;
  revision: bigint;
}
const toLeaf = (r: LeafRow): MerkleLeaf => ({ index: Number(r.leaf_index), position: r.position, streamId: r.stream_id, revision: r.revision });

/** The embedded Merkle log: two tables beside the event log, in the same SQLite file. */
export class SqliteMerkleStore implements MerkleStore {
  private readonly stmt;
  private readonly appendTx: Database.Transaction<(expected: number, leaves: MerkleLeaf[], nodes: MerkleNode[]) => void>;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.stmt = {
      head: prepare('SELECT leaf_index, position FROM merkle_leaves ORDER BY leaf_index DESC LIMIT 1'),
      insertLeaf: prepare('INSERT INTO merkle_leaves (leaf_index, position, stream_id, revision) VALUES (?, ?, ?, ?)'),
      insertNode: prepare('INSERT OR REPLACE INTO merkle_nodes (level, node_index, hash) VALUES (?, ?, ?)'),
      node: prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND node_index = ?').pluck(),
      leafAtPosition: prepare('SELECT * FROM merkle_leaves WHERE position = ?'),
      leafAt: prepare('SELECT * FROM merkle_leaves WHERE leaf_index = ?'),
      ofStream: prepare('SELECT * FROM merkle_leaves WHERE stream_id = ? AND leaf_index < ?'),
      ofPrefix: prepare('SELECT * FROM merkle_leaves WHERE stream_id >= ? AND stream_id < ? AND leaf_index < ?'),
    };
    this.appendTx = db.transaction((expected: number, leaves: MerkleLeaf[], nodes: MerkleNode[]) => {
      const head = this.stmt.head.get() as { leaf_index: bigint } | undefined;
      const size = head ? Number(head.leaf_index) + 1 : 0;
      if (size !== expected) throw new MerkleConflictError(`The Merkle log has ${size} leaves, not ${expected}`);
      for (const l of leaves) this.stmt.insertLeaf.run(l.index, l.position, l.streamId, l.revision);
      for (const n of nodes) this.stmt.insertNode.run(n.level, n.index, n.hash);
    });
  }

  async head(): Promise<{ size: number; lastPosition: bigint }> {
    const row = this.stmt.head.get() as { leaf_index: bigint; position: bigint } | undefined;
    return row ? { size: Number(row.leaf_index) + 1, lastPosition: row.position } : { size: 0, lastPosition: 0n };
  }

  async append(expectedSize: number, leaves: MerkleLeaf[], nodes: MerkleNode[]): Promise<void> {
    this.appendTx.immediate(expectedSize, leaves, nodes);
  }

  async node(level: number, index: number): Promise<Buffer | undefined> {
    return this.stmt.node.get(level, index) as Buffer | undefined;
  }

  async leafAtPosition(position: bigint): Promise<MerkleLeaf | undefined> {
    const row = this.stmt.leafAtPosition.get(position) as LeafRow | undefined;
    return row && toLeaf(row);
  }

  async leafAt(index: number): Promise<MerkleLeaf | undefined> {
    const row = this.stmt.leafAt.get(index) as LeafRow | undefined;
    return row && toLeaf(row);
  }

  async leavesOfStreams(streamIds: string[], prefixes: string[], size: number): Promise<MerkleLeaf[]> {
    const rows = [
      ...streamIds.flatMap((id) => this.stmt.ofStream.all(id, size) as LeafRow[]),
      ...prefixes.flatMap((p) => this.stmt.ofPrefix.all(p, p + PREFIX_END, size) as LeafRow[]),
    ];
    return rows.map(toLeaf).sort((a, b) => a.index - b.index);
  }
}
