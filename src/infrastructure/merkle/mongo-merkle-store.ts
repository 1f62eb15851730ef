import { Binary, type Collection, type Db } from 'mongodb';
import { MerkleConflictError, MerkleLeaf, MerkleNode, MerkleStore } from './merkle-store.port';

interface LeafDoc {
  _id: number;
  /** Zero-padded to 20 digits, so string order is numeric order (EventStoreDB positions reach 2^64). */
  position: string;
  streamId: string;
  revision: string;
}
interface NodeDoc {
  _id: string;
  hash: Binary;
}

const pad = (p: bigint) => p.toString().padStart(20, '0');
const toLeaf = (d: LeafDoc): MerkleLeaf => ({ index: d._id, position: BigInt(d.position), streamId: d.streamId, revision: BigInt(d.revision) });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The Merkle log in MongoDB (production stack), beside the read models. No transaction needed:
 * nodes are written first (a node's hash is determined by the events, so a repeated write is
 * harmless), then the leaves, whose ids are their indexes — a second writer at the same size
 * fails on the first duplicate id, and a crash leaves a prefix of leaves whose nodes are stored.
 */
export class MongoMerkleStore implements MerkleStore {
  private readonly leaves: Collection<LeafDoc>;
  private readonly nodes: Collection<NodeDoc>;

  constructor(db: Db) {
    this.leaves = db.collection<LeafDoc>('merkle_leaves');
    this.nodes = db.collection<NodeDoc>('merkle_nodes');
  }

  async init(): Promise<void> {
    await this.leaves.createIndex({ position: 1 }, { unique: true });
    await this.leaves.createIndex({ streamId: 1, _id: 1 });
  }

  async head(): Promise<{ size: number; lastPosition: bigint }> {
    const last = await this.leaves.find({}).sort({ _id: -1 }).limit(1).next();
    return last ? { size: last._id + 1, lastPosition: BigInt(last.position) } : { size: 0, lastPosition: 0n };
  }

  async append(expectedSize: number, leaves: MerkleLeaf[], nodes: MerkleNode[]): Promise<void> {
    if ((await this.head()).size !== expectedSize) throw new MerkleConflictError(`The Merkle log is not at ${expectedSize} leaves`);
    if (nodes.length) {
      await this.nodes.bulkWrite(
        nodes.map((n) => ({ replaceOne: { filter: { _id: `${n.level}:${n.index}` }, replacement: { hash: new Binary(n.hash) }, upsert: true } })),
        { ordered: false },
      );
    }
    try {
      await this.leaves.insertMany(
        leaves.map((l) => ({ _id: l.index, position: pad(l.position), streamId: l.streamId, revision: l.revision.toString() })),
        { ordered: true },
      );
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new MerkleConflictError('Another writer extended the Merkle log');
      throw e;
    }
  }

  async node(level: number, index: number): Promise<Buffer | undefined> {
    const doc = await this.nodes.findOne({ _id: `${level}:${index}` });
    return doc ? Buffer.from(doc.hash.buffer) : undefined;
  }

  async leafAtPosition(position: bigint): Promise<MerkleLeaf | undefined> {
    const doc = await this.leaves.findOne({ position: pad(position) });
    return doc ? toLeaf(doc) : undefined;
  }

  async leafAt(index: number): Promise<MerkleLeaf | undefined> {
    const doc = await this.leaves.findOne({ _id: index });
    return doc ? toLeaf(doc) : undefined;
  }

  async leavesOfStreams(streamIds: string[], prefixes: string[], size: number): Promise<MerkleLeaf[]> {
    const or = [...streamIds.map((id) => ({ streamId: id })), ...prefixes.map((p) => ({ streamId: { $regex: `^${escape(p)}` } }))];
    if (or.length === 0) return [];
    const docs = await this.leaves
      .find({ $or: or, _id: { $lt: size } })
      .sort({ _id: 1 })
      .toArray();
    return docs.map(toLeaf);
  }
}
