/**
 * A petition's audit export (JSON Lines) and its offline verification. Pure: the service writes
 * these lines, and `npm run audit:verify` checks them with no service, no store, no network —
 * every stream's hash chain, every event's inclusion in the signed Merkle root, the checkpoint's
 * Ed25519 signature, the consistency of two checkpoints, and the submission's signature count —
 * and names the first event that fails.
 */
import { SignatureTallies } from '../signature/signature-tally';
import type { InvalidationEvent } from '../signature/invalidation.events';
import type { SignatureEvent } from '../signature/signature.events';
import type { KeyObject } from 'node:crypto';
import { AuditCheckpointSigned, parsePublicKey, verifyCheckpoint } from './checkpoint';
import { chainHash, ChainLink } from '../shared/event-chain';
import { eventLeaf, verifyConsistency, verifyInclusion } from './merkle';

/** The events a submission's count is folded from. */
const COUNTED_TYPES = new Set(['PetitionSigned', 'SignatureWithdrawn', 'SignaturesInvalidated', 'SignaturesReinstated']);
export const AUDIT_EXPORT_FORMAT = 'local-petitions/audit-export/v1';

type SignedCheckpoint = AuditCheckpointSigned['data'] & { position?: string };

export type ExportLine =
  | { kind: 'header'; format: string; petitionId: string; exportedAt: string; keyId: string; publicKey: string }
  | ({ kind: 'checkpoint' } & SignedCheckpoint)
  | { kind: 'consistency'; from: SignedCheckpoint; proof: string[] }
  | {
      kind: 'event';
      /** Its leaf in the Merkle log and the inclusion proof at the checkpoint's size; null when the checkpoint does not cover it yet. */
      leafIndex: number | null;
      proof: string[] | null;
      position: string;
      streamId: string;
      revision: string;
      id: string;
      type: string;
      data: Record<string, unknown>;
      metadata: { chain?: ChainLink; [key: string]: unknown };
    }
  | { kind: 'missing'; leafIndex: number; position: string; streamId: string; revision: string }
  | { kind: 'end'; events: number; missing: number; uncovered: number };

export interface ExportVerification {
  verified: boolean;
  /** What was checked, in words, in order. */
  checks: string[];
  warnings: string[];
  /** The first failure: the event (stream and revision) when one is to blame. */
  failure?: { reason: string; streamId?: string; revision?: string; position?: string };
}

const fromHex = (s: string) => Buffer.from(s, 'hex');

export function verifyAuditExport(lines: readonly ExportLine[], trustedKey?: KeyObject): ExportVerification {
  const checks: string[] = [];
  const warnings: string[] = [];
  const fail = (reason: string, at?: { streamId: string; revision: string; position?: string }): ExportVerification => ({
    verified: false,
    checks,
    warnings,
    failure: { reason, ...(at ?? {}) },
  });

  const header = lines.find((l) => l.kind === 'header');
  if (!header || header.format !== AUDIT_EXPORT_FORMAT) return fail(`not an audit export (${AUDIT_EXPORT_FORMAT})`);
  const checkpoint = lines.find((l) => l.kind === 'checkpoint');
  if (!checkpoint) return fail('the export has no checkpoint');

  // 1. The checkpoint's signature, with the key the auditor trusts.
  let key = trustedKey;
  if (!key) {
    key = parsePublicKey(header.publicKey) ?? undefined;
    warnings.push('checked with the public key inside the export: pass --public-key with the key you obtained from the council to trust the signature');
  }
  if (!key) return fail('no usable Ed25519 public key');
  const { kind: _k, position: _p, ...signed } = checkpoint;
  if (!verifyCheckpoint(signed, key)) return fail(`the checkpoint of tree size ${checkpoint.treeSize} is not signed by key ${checkpoint.keyId}`);
  checks.push(`checkpoint signed by key ${checkpoint.keyId}: ${checkpoint.treeSize} events, root ${checkpoint.rootHash}`);
  const root = fromHex(checkpoint.rootHash);

  // 2. An earlier checkpoint: signed too, and the later tree extends it (history was only appended to).
  for (const c of lines) {
    if (c.kind !== 'consistency') continue;
    const { position: _q, ...earlier } = c.from;
    if (!verifyCheckpoint(earlier, key)) return fail(`the earlier checkpoint of tree size ${earlier.treeSize} is not signed by key ${earlier.keyId}`);
    if (!verifyConsistency(earlier.treeSize, checkpoint.treeSize, c.proof.map(fromHex), fromHex(earlier.rootHash), root)) {
      return fail(`the tree of ${checkpoint.treeSize} events does not extend the earlier checkpoint of ${earlier.treeSize}: history was rewritten`);
    }
    checks.push(`consistent with the earlier checkpoint of ${earlier.treeSize} events (signed ${earlier.checkpointedAt})`);
  }

  // 3. Every event, in log order: present, its stream without gaps, its chain link, its leaf in the root.
  const last = new Map<string, { revision: bigint; hash: string }>();
  let previousLeaf = -1;
  let covered = 0;
  let uncovered = 0;
  const events = lines.filter((l) => l.kind === 'event' || l.kind === 'missing');
  for (const e of events) {
    const at = { streamId: e.streamId, revision: e.revision, position: e.position };
    if (e.kind === 'missing') return fail('the Merkle log holds this event but the event store no longer has it: it was deleted', at);
    const revision = BigInt(e.revision);
    const before = last.get(e.streamId);
    const expected = before ? before.revision + 1n : 0n;
    if (revision !== expected) return fail(`revision ${expected} of this stream is missing from the export: deleted`, { ...at, revision: expected.toString() });
    const link = e.metadata.chain;
    if (!link) return fail('no chain link', at);
    if (link.previousHash !== (before?.hash ?? null)) return fail('its previous hash does not match the event before it in its stream', at);
    if (chainHash(link.previousHash, e.streamId, revision, e) !== link.hash)
      return fail('its content does not match its hash: the stored event was altered', at);
    last.set(e.streamId, { revision, hash: link.hash });
    if (e.leafIndex === null || e.proof === null) {
      if (BigInt(e.position) <= BigInt(checkpoint.lastPosition))
        return fail('the signed log does not hold this event although it is older than the checkpoint: it was added afterwards', at);
      uncovered += 1;
      continue;
    }
    if (e.leafIndex <= previousLeaf) return fail('events are not in log order', at);
    previousLeaf = e.leafIndex;
    if (!verifyInclusion(e.leafIndex, checkpoint.treeSize, eventLeaf(link.hash), e.proof.map(fromHex), root)) {
      return fail(`it is not leaf ${e.leafIndex} of the signed tree: the stored event differs from the one checkpointed`, at);
    }
    covered += 1;
  }
  checks.push(`${covered} events: hash chains intact, each included in the signed root`);
  if (uncovered) warnings.push(`${uncovered} later events are not covered by this checkpoint yet (their chains were checked)`);

  // 4. The submission's count: recounted from the signature and fraud-check events up to the
  // position it records, by the same rule as the service's tally (an invalidated signature does not
  // count, a reinstated one counts again).
  const counted = events
    .filter((s): s is Extract<typeof s, { kind: 'event' }> => s.kind === 'event' && COUNTED_TYPES.has(s.type.split('.')[0]))
    .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  for (const e of events) {
    if (e.kind !== 'event' || !e.type.startsWith('PetitionSubmittedToCouncil.')) continue;
    const data = e.data as { signatureCount: number; countedUpToPosition: string; petitionId: string };
    const upTo = BigInt(data.countedUpToPosition);
    const tallies = new SignatureTallies();
    for (const s of counted) {
      if (BigInt(s.position) > upTo || (s.data as { petitionId?: string }).petitionId !== data.petitionId) continue;
      tallies.apply({ type: s.type.split('.')[0], data: s.data } as SignatureEvent | InvalidationEvent, BigInt(s.position));
    }
    const count = tallies.tallyOf(data.petitionId).count;
    if (count !== data.signatureCount) {
      return fail(
        `the submission counted ${data.signatureCount} signatures; the export holds ${count} up to position ${data.countedUpToPosition}: signatures were deleted or added`,
        {
          streamId: e.streamId,
          revision: e.revision,
          position: e.position,
        },
      );
    }
    checks.push(`the submission's ${data.signatureCount} signatures recounted from the events`);
  }
  const end = lines.find((l) => l.kind === 'end');
  if (!end) return fail('the export is truncated (no end line)');
  return { verified: true, checks, warnings };
}
