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
 * parallel attempts cannot slip past the limit. Returns false when either key is locked.
 */
export async function admitAttempt(em: EntityManager, keys: ThrottleKeys, limits: Config['login'], now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - limits.windowMinutes * 60_000);
  const lockUntil = new Date(now.getTime() + limits.lockMinutes * 60_000);
  const rows: Array<{ locked_until: Date | null }> = await em.execute(
    `insert into login_throttle as t (key, failures, window_started_at, locked_until)
       values (?, 1, ?, null), (?, 1, ?, null)
     on conflict (key) do update set
       failures = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < ? and (t.locked_until is null or t.locked_until <= ?) then excluded.window_started_at else t.window_started_at end,
       locked_until = case
         when t.locked_until > ? then t.locked_until
         when (case when t.window_started_at < ? then 1 else t.failures + 1 end) >
              (case when t.key like 'account:%' then ?::int else ?::int end) then ?::timestamptz
         else null end
     returning locked_until`,
    [keys.account, now, keys.address, now, windowStart, now, windowStart, now, now, windowStart, limits.maxFailuresPerAccount, limits.maxFailuresPerAddress, lockUntil],
  );
  return rows.every((r) => r.locked_until === null || new Date(r.locked_until) <= now);
}

/** A successful sign-in clears the account's count and gives the address its attempt back. */
export async function attemptSucceeded(em: EntityManager, keys: ThrottleKeys): Promise<void> {
  await em.execute(`delete from login_throttle where key = ?`, [keys.account]);
  await em.execute(`update login_throttle set failures = greatest(failures - 1, 0) where key = ? and locked_until is null`, [keys.address]);
}
