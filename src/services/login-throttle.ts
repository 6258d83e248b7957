import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';

export interface ThrottleKeys {
  account: string;
  address: string;
}

export const throttleKeys = (username: string, clientAddress: string): ThrottleKeys => ({
  account: `account:${username.toLowerCase().slice(0, 254)}`,
  address: `address:${clientAddress.slice(0, 64)}`,
});

/**
 * Counts one sign-in attempt against the account name and the client address, atomically in
 * PostgreSQL (so several server processes share the count), before the password is checked:
 * parallel attempts cannot slip past the limit. Refused (false) while a key is locked, or while more
 * attempts are in flight or failed in the window than the limit allows. Only failures lock.
 */
export async function admitAttempt(em: EntityManager, keys: ThrottleKeys, limits: Config['login'], now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - limits.windowMinutes * 60_000);
  const rows: Array<{ key: string; failures: number; locked_until: Date | null }> = await em.execute(
    `insert into login_throttle as t (key, failures, window_started_at, locked_until)
       values (?, 1, ?, null), (?, 1, ?, null)
     on conflict (key) do update set
       failures = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then excluded.window_started_at else t.window_started_at end
     returning key, failures, locked_until`,
    [keys.account, now, keys.address, now, windowStart, now, windowStart, now],
  );
  return rows.every((r) => {
    if (r.locked_until && new Date(r.locked_until) > now) return false;
    return r.failures <= (r.key.startsWith('account:') ? limits.maxFailuresPerAccount : limits.maxFailuresPerAddress);
  });
}

/** A failed sign-in: a key that reached its limit is locked for the lock period. */
export async function attemptFailed(em: EntityManager, keys: ThrottleKeys, limits: Config['login'], now: Date): Promise<void> {
  const lockUntil = new Date(now.getTime() + limits.lockMinutes * 60_000);
  await em.execute(
    `update login_throttle set locked_until = ?
      where ((key = ? and failures >= ?) or (key = ? and failures >= ?)) and (locked_until is null or locked_until <= ?)`,
    [lockUntil, keys.account, limits.maxFailuresPerAccount, keys.address, limits.maxFailuresPerAddress, now],
  );
}

/** A successful sign-in clears the account's count and gives the address its attempt back. */
export async function attemptSucceeded(em: EntityManager, keys: ThrottleKeys): Promise<void> {
  await em.execute(`delete from login_throttle where key = ?`, [keys.account]);
  await em.execute(`update login_throttle set failures = greatest(failures - 1, 0) where key = ? and locked_until is null`, [keys.address]);
}
