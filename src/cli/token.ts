/**
 * Prints a development bearer token signed with the service's HS256 secret.
 *   npm run token -- --role clerk --council commune-tan-tan
 *   npm run token -- --role citizen --cin JB123456 --name 'Amina El Idrissi' --address '12 rue Al Massira, Tan-Tan' --sub amina
 *     (cin, name, address: what an identity provider would attest; roles may repeat)
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '../config/app-config';
import { ROLES, Role } from '../domain/shared/actor';
import { signDevToken } from '../infrastructure/auth/jwt-verifier';
import { loadRulebook } from '../infrastructure/rulebook/rulebook.loader';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      council: { type: 'string' },
      cin: { type: 'string' },
      name: { type: 'string' },
      address: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const roles = (values.role ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0)
    fail(
      `Usage: npm run token -- --role <${ROLES.join('|')}> [--council <id>] [--cin <CNIE> --name <full name> --address <address>] [--sub <user id>] [--expires 12h]`,
    );
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) fail(`Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}`);
  const needsCouncil = roles.some((r) => r === 'clerk' || r === 'official');
  if (needsCouncil && !values.council) fail('Clerks and officials act for one council: add --council <id> (see GET /councils)');
  if (values.council && !loadRulebook().registry.councils.some((c) => c.id === values.council)) {
    fail(
      `Unknown council ${values.council}. Councils: ${loadRulebook()
        .registry.councils.map((c) => c.id)
        .join(', ')}`,
    );
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e));
  }
  if (!config.jwt.secret) fail('The service verifies RS256 tokens from your identity provider (JWT_JWKS_URL); ask it for a token.');
  const token = await signDevToken(
    config.jwt.secret,
    {
      sub: values.sub ?? `${roles[0]}-${randomUUID().slice(0, 8)}`,
      roles: roles as Role[],
      ...(values.council ? { council: values.council } : {}),
      ...(values.cin ? { cin: values.cin } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(values.address ? { address: values.address } : {}),
    },
    {
      expiresIn: values.expires,
      ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
      ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
    },
  );
  process.stdout.write(token + '\n');
}

void main();
