import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

/**
 * How the exchange delivers: who signs what, how long to wait before trying again, and what an
 * answer from a peer means. Pure functions, unit-tested.
 */

/** Where one message to a peer stands (and, for a package, the recipient's copy). */
export enum OutboxState {
  /** Written with the change that caused it; not tried yet. */
  QUEUED = 'QUEUED',
  /** Handed to the peer; waiting for its answer. */
  SENT = 'SENT',
  /** The last attempt failed (the reason is kept); it is tried again later. */
  FAILED = 'FAILED',
  /** The peer took it. Never sent again. */
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  /** The peer refused it for good (malformed, classified, damaged); resending would not help. */
  REFUSED = 'REFUSED',
}

export const FINISHED_STATES: readonly OutboxState[] = [OutboxState.ACKNOWLEDGED, OutboxState.REFUSED];

/** The wait before attempt `attempts + 1`: doubling from `baseMs`, capped at `maxMs`, with up to 20 % jitter. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
  return Math.round(Math.min(maxMs, exp * (1 + 0.2 * random())));
}

/** What an HTTP answer from a peer means for the message. */
export function outcomeOf(status: number): 'ACKNOWLEDGED' | 'REFUSED' | 'RETRY' {
  if (status >= 200 && status < 300) return 'ACKNOWLEDGED';
  // Bad credentials may be corrected by an administrator on either side: keep trying.
  // (413: the peer will never take a message this large; it is refused for good below.)
  if (status === 401 || status === 403 || status === 404 || status === 408 || status === 429) return 'RETRY';
  if (status >= 400 && status < 500) return 'REFUSED';
  return 'RETRY';
}

/** A message that cannot even be prepared (its file is gone) this many times is given up, so the peer's queue moves on. */
export const MAX_PREPARE_FAILURES = 5;

/** Headers a peer signs a message with. */
export const EXCHANGE_HEADERS = { from: 'x-edxml-from', timestamp: 'x-edxml-timestamp', signature: 'x-edxml-signature' } as const;

/** How far a signed message's time may be from the receiver's (replays older than this are refused). */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** HMAC-SHA256 over the sender, the time and the body, with the secret the two peers share. */
export function signMessage(secret: string, from: string, timestampMs: number, body: Buffer | string): string {
  return signingMac(secret, from, timestampMs).update(body).digest('hex');
}

export function signatureProblem(
  secret: string,
  from: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowMs: number,
): string | null {
  const early = signatureHeaderProblem(timestamp, signature, nowMs);
  if (early) return early;
  return macProblem(signingMac(secret, from, Number(timestamp)).update(body).digest('hex'), signature!);
}

/** What is wrong with a message's signing headers, before its body is read; null when they may be checked. */
export function signatureHeaderProblem(timestamp: string | undefined, signature: string | undefined, nowMs: number): string | null {
  if (!timestamp || !/^\d{10,16}$/.test(timestamp)) return 'The message carries no valid signing time.';
  if (Math.abs(nowMs - Number(timestamp)) > SIGNATURE_WINDOW_MS) return 'The message was signed too long ago or in the future; check both servers’ clocks.';
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return 'The message carries no valid signature.';
  return null;
}

/** The HMAC of a message being read, before its body: the body is added as it arrives. */
export function signingMac(secret: string, from: string, timestampMs: number): Hmac {
  return createHmac('sha256', secret).update(`${from}\n${timestampMs}\n`);
}

/** Whether the HMAC computed over the body (hex) is the signature the message carries. */
export function macProblem(computedHex: string, signature: string): string | null {
  return timingSafeEqual(Buffer.from(computedHex, 'hex'), Buffer.from(signature, 'hex'))
    ? null
    : 'The signature does not match the secret configured for this peer.';
}
