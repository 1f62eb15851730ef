/**
 * MongoDB read store: connection strings in messages (hosts named, credentials never shown).
 */

/** The host list of a connection string, for messages: no scheme, credentials, path or options. */
export function describeMongoHosts(url: string): string {
  const withoutScheme = url.replace(/^[a-z0-9+.-]+:\/\//i, '');
  const end = withoutScheme.search(/[/?]/);
  const authority = end === -1 ? withoutScheme : withoutScheme.slice(0, end);
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts || '(no host)';
}

/** A message with a connection string's credentials (raw and URI-decoded) masked. */
export function redactCredentials(message: string, url: string): string {
  let safe = message;
  const userinfo = /^[a-z0-9+.-]+:\/\/([^@/?]*)@/i.exec(url)?.[1];
  if (userinfo) {
    const secrets = new Set<string>([userinfo]);
    for (const part of userinfo.split(':')) {
      secrets.add(part);
      try {
        secrets.add(decodeURIComponent(part));
      } catch {
        /* not URI-encoded */
      }
    }
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (secret.length > 0) safe = safe.split(secret).join('***');
    }
  }
  return safe;
}

/**
 * Why the server that answered `hello` cannot hold the read store, or null when it can: commits
 * are multi-document transactions, which MongoDB runs only on a replica-set member or through
 * mongos (a sharded cluster). A standalone server accepts connections and reads but refuses the
 * first transaction ("Transaction numbers are only allowed on a replica set member or mongos").
 */
export function replicaSetProblem(hello: Record<string, unknown>): string | null {
  if (hello.msg === 'isdbgrid') return null; // mongos
  if (typeof hello.setName === 'string' && hello.setName !== '') return null;
  return (
    'it is a standalone server, and the read store commits with transactions, which need a replica set. ' +
    'Start mongod with --replSet <name>, run rs.initiate() once, and add ?replicaSet=<name> to MONGODB_URL ' +
    '(a single-node replica set is enough; see docs/operations.md)'
  );
}
