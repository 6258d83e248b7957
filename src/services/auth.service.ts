import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, AccountEvent, Session } from '../../entities';
import type { AppServices, Context } from '../context';
import { withTransaction } from '../transaction';
import { AccountStatus, normaliseUsername, passwordProblem, type Role } from '../domain/accounts/account-rules';
import type { Viewer } from '../domain/permissions/viewer';
import { UnitKind } from '../domain/units/unit-rules';
import { CheckInSession, checkInSession } from '../domain/time/check-in';
import { officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput } from '../errors';
import { admitAttempt, attemptFailed, attemptSucceeded, throttleKeys } from './login-throttle';
import { signToken, verifyToken } from './tokens';
import { OFFICE_SHORT_NAME } from './office-oversight';

/** The short name of the Office (Văn phòng) department. */

const WRONG_CREDENTIALS = 'The user name or password is wrong, or the account is disabled.';

export interface ResolvedSession {
  sessionId: string;
  viewer: Viewer;
  mustChangePassword: boolean;
  /** The permissions version (highest permission change id) when the session was checked. */
  permissionVersion: string;
  /** The working calendar's version (src/services/working-calendar.ts). */
  calendarVersion: string;
  /**
   * The same object for every copy the session cache hands out of one entry (src/services/session-cache.ts):
   * what is built from the session, such as its ability, is kept under it.
   */
  cacheKey?: object;
}

/**
 * The session a token names, with the viewer it stands for — or the reason it is not accepted.
 * Checked against the database on every request: a revoked session or a disabled account fails at once.
 */
/**
 * When this process last recorded each account's use. The statement below changes nothing within a
 * minute of the last recording, so a request in that minute need not send it: one round trip fewer
 * on almost every request. (Another process records on its own; the statement stays the judge.)
 */
const recordedBy = new WeakMap<AppServices, Map<string, number>>();
function useDue(app: AppServices, accountId: string, now: Date): boolean {
  let lastRecorded = recordedBy.get(app);
  if (!lastRecorded) recordedBy.set(app, (lastRecorded = new Map()));
  const t = now.getTime();
  const last = lastRecorded.get(accountId);
  // The first use in a new check-in session (morning, afternoon) is always recorded.
  const sessionStart = checkInSession(now, app.config.officeTimeZone).startedAt.getTime();
  if (last !== undefined && t >= last && t - last < 60_000 && last >= sessionStart) return false;
  if (lastRecorded.size > 100_000) lastRecorded.clear();
  lastRecorded.set(accountId, t);
  return true;
}

/**
 * Records a use of the system: the account's last activity, and on the office day's activity row the
 * first use of the morning or afternoon session. Touched at most once a minute, except that the first
 * use in a new session always counts, so whoever is active all day has both sessions.
 */
async function recordUse(em: EntityManager, app: AppServices, accountId: string, now: Date): Promise<void> {
  const { day, session, startedAt } = checkInSession(now, app.config.officeTimeZone);
  const column = session === CheckInSession.MORNING ? 'morning_at' : 'afternoon_at';
  const oncePerMinute = new Date(now.getTime() - 60_000);
  await em.execute(
    `with touched as (
       update account set last_seen_at = ? where id = ? and (last_seen_at is null or last_seen_at < ?) returning id)
     insert into account_activity (account_id, day, visits, first_at, last_at, ${column})
       select id, ?, 1, ?, ?, ? from touched
     on conflict (account_id, day) do update set
       ${column} = coalesce(account_activity.${column}, excluded.${column}),
       visits = (account_activity.morning_at is not null or excluded.morning_at is not null)::int
              + (account_activity.afternoon_at is not null or excluded.afternoon_at is not null)::int,
       last_at = excluded.last_at`,
    [now, accountId, oncePerMinute.getTime() > startedAt.getTime() ? oncePerMinute : startedAt, day, now, now, now],
  );
}

export async function resolveSession(
  em: EntityManager,
  app: AppServices,
  token: string,
  opts: { recordUse?: boolean } = {},
): Promise<ResolvedSession | { problem: string }> {
  const now = app.clock.now();
  const claims = verifyToken(token, app.config.tokenSecret, Math.floor(now.getTime() / 1000));
  if (!claims) return { problem: 'The token is not valid or has expired. Sign in again.' };
  if (!/^[0-9a-f-]{36}$/.test(claims.sid)) return { problem: 'The token is not valid. Sign in again.' };
  const day = officeDate(now, app.config.officeTimeZone);
  // Held in this process's memory while no notice has said otherwise (src/services/session-cache.ts).
  const cached = app.sessions?.get(claims.sid, day, now);
  if (cached) {
    await noteUse(em, app, cached.viewer.accountId, now, opts);
    return cached;
  }
  const epoch = app.sessions?.begin() ?? 0;
  const rows: Array<{
    account_id: string;
    roles: Role[];
    must_change_password: boolean;
    status: AccountStatus;
    unit_id: string;
    kind: UnitKind;
    short_name: string;
    parent_id: string | null;
    agency_id: string;
    members: string[];
    delegations: Array<{ id: string; right: 'SIGN' | 'REVIEW'; scope: string; from: string }> | null;
    permission_version: string;
    calendar_version: string;
    expires_at: Date;
  }> = await em.execute(
    `select a.id as account_id, a.roles, a.must_change_password, a.status, u.id as unit_id, u.kind, u.short_name, u.parent_id,
            coalesce(gp.id, p.id, u.id) as agency_id,
            array(select m.id from unit m
                   where m.id = (case when u.kind = 'DEPARTMENT' then u.parent_id else u.id end)
                      or (m.parent_id = (case when u.kind = 'DEPARTMENT' then u.parent_id else u.id end) and m.kind = 'DEPARTMENT')) as members,
            (select json_agg(json_build_object('id', g.id, 'right', g.right, 'scope', g.scope_unit_id, 'from', g.from_account_id))
               from delegation g where g.to_account_id = a.id and g.revoked_at is null and g.start_date <= ?::date and g.end_date >= ?::date) as delegations,
            (select coalesce(max(id), 0)::text from permission_change) as permission_version,
            (select coalesce(max(id), 0)::text from office_day_change) as calendar_version, s.expires_at
       from session s join account a on a.id = s.account_id join unit u on u.id = a.unit_id
            left join unit p on p.id = u.parent_id left join unit gp on gp.id = p.parent_id
      where s.id = ? and s.revoked_at is null and s.expires_at > ?`,
    [day, day, claims.sid, now],
  );
  const row = rows[0];
  if (!row) return { problem: 'Your session has ended. Sign in again.' };
  if (row.status !== AccountStatus.ACTIVE) return { problem: 'This account is disabled.' };
  await noteUse(em, app, row.account_id, now, opts);
  const keepingUnitId = row.kind === UnitKind.DEPARTMENT && row.parent_id ? row.parent_id : row.unit_id;
  const resolved: ResolvedSession = {
    sessionId: claims.sid,
    mustChangePassword: row.must_change_password,
    permissionVersion: row.permission_version,
    calendarVersion: row.calendar_version,
    viewer: {
      accountId: row.account_id,
      roles: row.roles,
      unitId: row.unit_id,
      unitKind: row.kind,
      keepingUnitId,
      keepingUnitMemberIds: row.members,
      departmentId: row.kind === UnitKind.DEPARTMENT ? row.unit_id : null,
      agencyId: row.agency_id,
      inOffice: row.kind === UnitKind.DEPARTMENT && row.short_name === OFFICE_SHORT_NAME,
      // Delegated rights expire on their own: only those in force today come back.
      delegations: (row.delegations ?? []).map((d) => ({ right: d.right, scopeUnitId: d.scope, delegationId: d.id, fromAccountId: d.from })),
    },
  };
  app.sessions?.set(epoch, resolved, day, new Date(row.expires_at));
  return resolved;
}

/**
 * Last activity, at most once a minute (and at once in a new session), and the day's sessions used:
 * morning and afternoon (Điều 10.2). Events pushed to an open socket are not a use of the system by the person.
 */
async function noteUse(em: EntityManager, app: AppServices, accountId: string, now: Date, opts: { recordUse?: boolean }): Promise<void> {
  if (opts.recordUse !== false && useDue(app, accountId, now)) await recordUse(em, app, accountId, now);
}

/** Opens a session and signs its token. */
async function openSession(em: EntityManager, app: AppServices, account: Account, clientAddress: string): Promise<string> {
  const now = app.clock.now();
  const expiresAt = new Date(now.getTime() + app.config.tokenTtlMinutes * 60_000);
  const session = em.create(Session, { account, expiresAt, clientAddress, createdAt: now });
  await em.persistAndFlush(session);
  return signToken({ sid: session.id, exp: Math.floor(expiresAt.getTime() / 1000) }, app.config.tokenSecret);
}

/**
 * Signs in. Every attempt is counted against the (user name, address) pair and the address before the
 * password is checked, and may be slowed when the user name is under attack from elsewhere
 * (src/services/login-throttle.ts); the answer never says whether the user name exists.
 */
export async function login(ctx: Context, rawUsername: string, password: string): Promise<{ token: string; account: Account }> {
  const { em, app } = ctx;
  const keys = throttleKeys(rawUsername.trim(), ctx.clientAddress);
  const admission = await admitAttempt(em, keys, app.config.login, app.clock.now());
  if (!admission.admitted) throw new AppError(ErrorCode.TOO_MANY_ATTEMPTS);
  // An address that has failed on an account under attack waits for its turn; no database connection is held meanwhile.
  if (admission.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, admission.waitMs));
  const username = normaliseUsername(rawUsername);
  const account = username ? await em.findOne(Account, { username }, { populate: ['passwordHash'] }) : null;
  const hasher = ctx.app.hasher;
  const ok = account ? await hasher.verify(account.passwordHash, password) : await hasher.verifyNothing(password);
  if (!account || !ok || account.status !== AccountStatus.ACTIVE) {
    await attemptFailed(em, keys, app.config.login, app.clock.now());
    throw new AppError(ErrorCode.UNAUTHENTICATED, WRONG_CREDENTIALS);
  }
  await attemptSucceeded(em, keys);
  const token = await openSession(em, app, account, ctx.clientAddress);
  return { token, account };
}

/** Ends the current session: its token fails on the next request. */
export async function logout(ctx: Context): Promise<boolean> {
  if (!ctx.sessionId) return false;
  await ctx.em.nativeUpdate(Session, { id: ctx.sessionId, revokedAt: null }, { revokedAt: ctx.app.clock.now() });
  await ctx.app.announceSessionEnd(ctx.sessionId);
  return true;
}

/** Revokes every open session of an account (in the caller's transaction) and tells the other processes. */
export async function revokeSessions(em: EntityManager, app: AppServices, accountId: string, exceptSessionId?: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await em.execute(
    `update session set revoked_at = ? where account_id = ? and revoked_at is null ${exceptSessionId ? 'and id <> ?' : ''} returning id`,
    exceptSessionId ? [app.clock.now(), accountId, exceptSessionId] : [app.clock.now(), accountId],
  );
  return rows.map((r) => r.id);
}

/** Changes the viewer's password; other sessions end, this one goes on. */
export async function changePassword(ctx: Context, currentPassword: string, newPassword: string): Promise<boolean> {
  const viewer = ctx.viewer!;
  const account = await ctx.em.findOneOrFail(Account, { id: viewer.accountId }, { populate: ['passwordHash'] });
  const hasher = ctx.app.hasher;
  if (!(await hasher.verify(account.passwordHash, currentPassword))) throw badInput('The current password is wrong.', 'currentPassword');
  if (newPassword === currentPassword) throw badInput('The new password must differ from the current one.', 'newPassword');
  const problem = passwordProblem(newPassword, account.username);
  if (problem) throw badInput(problem, 'newPassword');
  const hash = await hasher.hash(newPassword);
  const ended = await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await em.nativeUpdate(Account, { id: account.id }, { passwordHash: hash, mustChangePassword: false, updatedAt: ctx.app.clock.now() });
    const ids = await revokeSessions(em, ctx.app, account.id, ctx.sessionId);
    em.create(AccountEvent, { account: account.id, actor: account.id, type: 'PASSWORD_CHANGED', at: ctx.app.clock.now() });
    return ids;
  });
  for (const id of ended) await ctx.app.announceSessionEnd(id);
  // This session goes on, no longer bound to change its password.
  await ctx.app.announceViewerChange(account.id);
  return true;
}
