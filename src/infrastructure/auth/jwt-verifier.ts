/**
 * Bearer tokens: HS256 with a shared secret, or RS256 against a JWKS URL (a council's identity
 * provider). The claims we rely on: `sub`, `roles`, and `council` for clerks and officials.
 */
import { IDENTITY_NUMBER, normaliseIdentityNumber } from '../../domain/signature/identity-number';
import { createRemoteJWKSet, errors, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { Actor, Role, ROLES } from '../../domain/shared/actor';
import type { AppConfig } from '../../config/app-config';

/** Clocks of the identity provider and the service may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;
const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly maxLifetime: number;

  constructor(private readonly config: AppConfig['jwt']) {
    this.maxLifetime = config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
    if (config.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(config.jwksUrl));
      this.algorithms = ['RS256'];
    } else if (config.secret) {
      this.key = new TextEncoder().encode(config.secret);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('No JWT secret or JWKS URL configured');
    }
  }

  async verify(token: string): Promise<Actor> {
    let payload: Record<string, unknown>;
    try {
      // exp and iat are required: a token that never expires is a credential that can never be
      // revoked, and one issued in the future (or living for years) is one nobody should have made.
      // maxTokenAge also refuses an iat in the future (beyond the clock tolerance).
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: this.maxLifetime,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      };
      const result = this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      payload = result.payload;
    } catch (e) {
      const reason =
        e instanceof errors.JWTExpired
          ? e.claim === 'iat'
            ? `the token is older than the longest lifetime accepted (${this.maxLifetime} s)`
            : 'the token has expired'
          : e instanceof errors.JWTClaimValidationFailed && e.claim === 'iat'
            ? 'the token is issued in the future (iat)'
            : e instanceof errors.JOSEError
              ? e.code
              : 'malformed token';
      throw new InvalidTokenError(`Invalid bearer token: ${reason}`);
    }
    // A token valid for longer than the service accepts (exp - iat), e.g. expiring in the year 3000.
    if ((payload.exp as number) - (payload.iat as number) > this.maxLifetime + CLOCK_TOLERANCE_SECONDS) {
      throw new InvalidTokenError(`Invalid bearer token: it is valid for longer than the longest lifetime accepted (${this.maxLifetime} s)`);
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || !sub) throw new InvalidTokenError('Invalid bearer token: no subject (sub)');
    const rolesClaim = payload.roles;
    if (!Array.isArray(rolesClaim) || rolesClaim.length === 0) throw new InvalidTokenError('Invalid bearer token: no roles claim');
    const roles = rolesClaim.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
    if (roles.length !== rolesClaim.length) throw new InvalidTokenError(`Invalid bearer token: roles must be among ${ROLES.join(', ')}`);
    const council = payload.council;
    if (council !== undefined && typeof council !== 'string') throw new InvalidTokenError('Invalid bearer token: council must be a string');
    if (roles.some((r) => r === 'clerk' || r === 'official') && !council) {
      throw new InvalidTokenError('Invalid bearer token: clerks and officials carry the council they act for (council claim)');
    }
    const cin = payload.cin;
    let identityNumber: string | undefined;
    if (cin !== undefined) {
      identityNumber = typeof cin === 'string' ? normaliseIdentityNumber(cin) : '';
      if (!IDENTITY_NUMBER.test(identityNumber)) throw new InvalidTokenError('Invalid bearer token: cin must be a CNIE number');
    }
    // OpenID Connect standard claims: `name`, and `address` as a string or an object with `formatted`.
    const name = attestedText(payload.name, 'name');
    const address = attestedText(
      typeof payload.address === 'object' && payload.address !== null ? (payload.address as { formatted?: unknown }).formatted : payload.address,
      'address',
    );
    const attested = { ...(name ? { name } : {}), ...(address ? { address } : {}) };
    return {
      id: sub,
      roles,
      ...(council ? { councilId: council } : {}),
      ...(identityNumber ? { identityNumber } : {}),
      ...(name || address ? { attested } : {}),
    };
  }
}

function attestedText(value: unknown, claim: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 300) {
    throw new InvalidTokenError(`Invalid bearer token: ${claim} must be text of at most 300 characters`);
  }
  return value.trim().normalize('NFC');
}

/** Development and test tokens (HS256). */
export async function signDevToken(
  secret: string,
  claims: { sub: string; roles: Role[]; council?: string; cin?: string; name?: string; address?: string },
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({
    roles: claims.roles,
    ...(claims.council ? { council: claims.council } : {}),
    ...(claims.cin ? { cin: claims.cin } : {}),
    ...(claims.name ? { name: claims.name } : {}),
    ...(claims.address ? { address: claims.address } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
