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

/**
 * Tokens whose signature was checked, per secret, with their claims: a signed-in client sends the
 * same token on every request, and the HMAC is the larger part of checking it. The signature of a
 * given token under a given secret never changes, so the memory only saves work; expiry is still
 * checked on every call. At most `CHECKED` per secret, the oldest leaving first.
 */
const checked = new Map<string, Map<string, TokenClaims>>();
const CHECKED = 10_000;

/** The claims of a token with a good signature that has not expired, or null. */
export function verifyToken(token: string, secret: string, nowSeconds: number): TokenClaims | null {
  let bySecret = checked.get(secret);
  const known = bySecret?.get(token);
  if (known) return known.exp <= nowSeconds ? null : known;
  const claims = checkSignature(token, secret, nowSeconds);
  if (claims) {
    if (!bySecret) {
      checked.set(secret, (bySecret = new Map()));
      // A process has one secret; tests start many.
      if (checked.size > 4) checked.delete(checked.keys().next().value as string);
    }
    bySecret.set(token, Object.freeze(claims));
    if (bySecret.size > CHECKED) bySecret.delete(bySecret.keys().next().value as string);
  }
  return claims;
}

function checkSignature(token: string, secret: string, nowSeconds: number): TokenClaims | null {
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
