/**
 * Verifies a petition's audit export offline: no service, no store, no network.
 *   npm run audit:verify -- petition-audit.jsonl --public-key audit-public-key.pem
 * Checks every stream's hash chain, every event's inclusion in the signed Merkle root, the
 * checkpoint's Ed25519 signature (with the key you trust), the consistency of the two checkpoints
 * when the export carries two, and the submission's signature count. Prints what it checked; on
 * failure names the first event that fails (stream and revision) and exits 1.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExportLine, verifyAuditExport } from '../domain/audit/audit-export';
import { parsePublicKey } from '../domain/audit/checkpoint';

function main(): number {
  const { values, positionals } = parseArgs({
    options: { 'public-key': { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    console.error('Usage: npm run audit:verify -- <export.jsonl> [--public-key <key.pem>] [--json]');
    return 2;
  }
  let key;
  if (values['public-key']) {
    const text = readFileSync(values['public-key'], 'utf8');
    // The key file may be the PEM itself or the JSON of GET /audit/public-key.
    const pem = text.trim().startsWith('{') ? (JSON.parse(text) as { publicKey: string }).publicKey : text;
    key = parsePublicKey(pem);
    if (!key) {
      console.error(`${values['public-key']}: not an Ed25519 public key (PEM)`);
      return 2;
    }
  }
  const lines: ExportLine[] = [];
  const raw = readFileSync(positionals[0], 'utf8').split('\n');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i].trim() === '') continue;
    try {
      lines.push(JSON.parse(raw[i]) as ExportLine);
    } catch {
      console.error(`${positionals[0]}:${i + 1}: not JSON`);
      return 1;
    }
  }
  const result = verifyAuditExport(lines, key ?? undefined);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const c of result.checks) console.log(`ok    ${c}`);
    for (const w of result.warnings) console.log(`note  ${w}`);
    if (result.failure) {
      const f = result.failure;
      const where = f.streamId ? `${f.streamId} revision ${f.revision}${f.position ? ` (position ${f.position})` : ''}: ` : '';
      console.log(`FAIL  ${where}${f.reason}`);
    } else {
      console.log('verified');
    }
  }
  return result.verified ? 0 : 1;
}

process.exitCode = main();
