/**
 * Signed checkpoints of the Merkle log: the tree size and root at a point of the global order,
 * signed with the service's Ed25519 key. Pure (node:crypto): the service signs with it, and the
 * offline verifier checks with the published public key, the key id naming which key signed.
 */
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/** The stream every checkpoint is appended to. */
export const AUDIT_STREAM = 'audit';

export interface AuditCheckpointSigned {
  type: 'AuditCheckpointSigned';
  data: {
    /** Leaves covered: events 0 … treeSize − 1 in global position order. */
    treeSize: number;
    /** RFC 9162 root of those leaves, hex. */
    rootHash: string;
    /** Global positions of the first and last covered events (decimal strings). */
    firstPosition: string;
    lastPosition: string;
    checkpointedAt: string;
    /** Which key signed: see keyIdOf. */
    keyId: string;
    /** Ed25519 signature of checkpointStatement(…), base64. */
    signature: string;
  };
}

export type AuditEvent = AuditCheckpointSigned;
export type CheckpointBody = Omit<AuditCheckpointSigned['data'], 'signature'>;

/** The exact bytes signed: one line per field, in a fixed order, after a versioned header. */
export const checkpointStatement = (c: CheckpointBody): Buffer =>
  Buffer.from(['local-petitions/checkpoint/v1', c.treeSize, c.rootHash, c.firstPosition, c.lastPosition, c.checkpointedAt, c.keyId].join('\n'), 'utf8');

/** A key's id: the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo (DER). */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): AuditCheckpointSigned['data'] {
  return { ...body, signature: sign(null, checkpointStatement(body), privateKey).toString('base64') };
}

/** Parses a PEM public key (SPKI); null when it is not an Ed25519 key. */
export function parsePublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** Whether the checkpoint was signed by this key (and names it). */
export function verifyCheckpoint(checkpoint: AuditCheckpointSigned['data'], publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  const { signature, ...body } = checkpoint;
  try {
    return verify(null, checkpointStatement(body), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
