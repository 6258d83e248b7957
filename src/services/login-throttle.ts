import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { slowdownStepMs, throttleAddress } from '../domain/accounts/sign-in-throttle';

/**
 * The three counts one sign-in attempt touches:
 * - `pair`: this account from this address. Locked after `maxFailuresPerAccountAddress` failures:
 *   whoever guesses from an address is stopped there, and only there.
 * - `address`: every account from this address. Locked after `maxFailuresPerAddress` attempts: bounds
 *   spraying many accounts from one place.
 * - `account`: this account from every address. Never locked (a stranger who knows the user name could
 *   otherwise keep its owner out); past `maxFailuresPerAccount` failures, attempts from addresses that
 *   have already failed on it take turns, one per slow-down step.
 */
export interface ThrottleKeys {
  account: string;
  address: string;
  pair: string;
}

export const throttleKeys = (username: string, clientAddress: string): ThrottleKeys => {
  const name = username.toLowerCase().slice(0, 254);
  const address = throttleAddress(clientAddress);
  return { account: `account:${name}`, address: `address:${address}`, pair: `pair:${address}|${name}` };
};

export type Admission = { admitted: false } | { admitted: true; waitMs: number };

/**
 * Counts one sign-in attempt against the pair and the address, atomically in PostgreSQL (so several
 * server processes share the count), before the password is checked: parallel attempts cannot slip
 * past a limit, and a refused attempt costs no password hash. Refused while the pair or the address
 * is locked or has more attempts in flight or failed in the window than its limit.
 *
 * An address that has not failed on this account in the window is never slowed: the owner signs in
 * from there at once however many strangers guess elsewhere. An address that has failed on it waits
 * for its turn (`waitMs`) once the account has failed often enough, and is refused when that turn is
 * further away than `maxWaitMs`.
 */
export async function admitAttempt(em: EntityManager, keys: ThrottleKeys, limits: Config['login'], now: Date): Promise<Admission> {
  const windowStart = new Date(now.getTime() - limits.windowMinutes * 60_000);
  const rows: Array<{ key: string; failures: number; locked_until: Date | null }> = await em.execute(
    `insert into login_throttle as t (key, failures, window_started_at, locked_until)
       values (?, 1, ?, null), (?, 1, ?, null)
     on conflict (key) do update set
       failures = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then excluded.window_started_at else t.window_started_at end
     returning key, failures, locked_until`,
    [keys.pair, now, keys.address, now, windowStart, now, windowStart, now],
  );
  let dirty = false;
  for (const r of rows) {
    if (r.locked_until && new Date(r.locked_until) > now) return { admitted: false };
    const limit = r.key === keys.pair ? limits.maxFailuresPerAccountAddress : limits.maxFailuresPerAddress;
    if (r.failures > limit) return { admitted: false };
    if (r.key === keys.pair && r.failures > 1) dirty = true;
  }
  if (!dirty) return { admitted: true, waitMs: 0 };

  // Take the account's next turn, if it is near enough. Failures past the threshold widen the step.
  const counted: Array<{ failures: number }> = await em.execute(`select failures from login_throttle where key = ? and window_started_at >= ?`, [
    keys.account,
    windowStart,
  ]);
  const stepMs = slowdownStepMs(counted[0]?.failures ?? 0, limits.maxFailuresPerAccount, limits.slowdownMs, limits.slowdownMaxMs);
  if (!stepMs) return { admitted: true, waitMs: 0 };
  const taken: Array<{ next_attempt_at: Date }> = await em.execute(
    `update login_throttle set next_attempt_at = greatest(coalesce(next_attempt_at, ?), ?) + ? * interval '1 millisecond'
      where key = ? and greatest(coalesce(next_attempt_at, ?), ?) <= ?
      returning next_attempt_at`,
    [now, now, stepMs, keys.account, now, now, new Date(now.getTime() + limits.maxWaitMs)],
  );
  if (!taken.length) return { admitted: false };
  return { admitted: true, waitMs: Math.max(0, new Date(taken[0].next_attempt_at).getTime() - stepMs - now.getTime()) };
}

/**
 * A failed sign-in: a pair or address that reached its limit is locked for the lock period, and the
 * account's count across addresses grows (which only ever slows attempts on it down).
 */
export async function attemptFailed(em: EntityManager, keys: ThrottleKeys, limits: Config['login'], now: Date): Promise<void> {
  const lockUntil = new Date(now.getTime() + limits.lockMinutes * 60_000);
  const windowStart = new Date(now.getTime() - limits.windowMinutes * 60_000);
  await em.execute(
    `update login_throttle set locked_until = ?
      where ((key = ? and failures >= ?) or (key = ? and failures >= ?)) and (locked_until is null or locked_until <= ?)`,
    [lockUntil, keys.pair, limits.maxFailuresPerAccountAddress, keys.address, limits.maxFailuresPerAddress, now],
  );
  await em.execute(
    `insert into login_throttle as t (key, failures, window_started_at) values (?, 1, ?)
     on conflict (key) do update set
       failures = case when t.window_started_at < ? then 1 else t.failures + 1 end,
       next_attempt_at = case when t.window_started_at < ? then null else t.next_attempt_at end,
       window_started_at = case when t.window_started_at < ? then excluded.window_started_at else t.window_started_at end`,
    [keys.account, now, windowStart, windowStart, windowStart],
  );
}

/**
 * A successful sign-in clears the pair and gives the address its attempt back. The account's count
 * across addresses stays until its window passes: the owner signing in says nothing about who else
 * is guessing, and it only slows addresses that have failed on the account.
 */
export async function attemptSucceeded(em: EntityManager, keys: ThrottleKeys): Promise<void> {
  await em.execute(`delete from login_throttle where key = ?`, [keys.pair]);
  await em.execute(`update login_throttle set failures = greatest(failures - 1, 0) where key = ? and locked_until is null`, [keys.address]);
}
