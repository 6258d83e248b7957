import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims of a session token: which session, valid until when (seconds since the epoch). */
export interface TokenClaims {
  sid: string;
  exp: number;
}

/** A signed token: `v1.<claims>.<HMAC-SHA256>`; the session it names is checked on every request as well. */
export function signToken(claims: TokenClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const mac = createHmac('sha256', secret).update(`v1.${body}`).digest('base64url');
  return `v1.${body}.${mac}`;
}

/** The claims of a token with a good signature that has not expired, or null. */
export function verifyToken(token: string, secret: string, nowSeconds: number): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || token.length > 1000) return null;
  const expected = createHmac('sha256', secret).update(`v1.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return null;
    if (claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}

/** The token of an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}
