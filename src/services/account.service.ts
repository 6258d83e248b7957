import { TransactionPropagation, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, AccountEvent, AccountUnitPeriod, Delegation, PermissionGrant, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import {
  AccountEndReason,
  AccountStatus,
  Role,
  generateInitialPassword,
  normaliseUsername,
  roleCombinationProblem,
  sameRoles,
  selfGrantProblem,
} from '../domain/accounts/account-rules';
import { DOCUMENT_CONTENT_SUBJECTS } from '../domain/permissions/custom-rules';
import { positionFields, type Position } from '../domain/signing/positions';
import { officeDate } from '../domain/time/office-time';
import { readableAccounts } from '../repositories/accounts';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import { keyOf } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { authorize, requireViewer } from './guards';
import { revokeSessions } from './auth.service';
import { containing } from './input-checks';
import { once } from './idempotency';
import { handOverOpenAssignments, handOverTarget } from './hand-over';

export interface AccountFields {
  fullName?: string | null;
  position?: string | null;
  positionCode?: Position | null;
  roles?: Role[] | null;
}

/** The title and position to store, from the input (positions.ts); BAD_USER_INPUT when they disagree. */
function positionOf(f: AccountFields): { position: string | null; positionCode: Position | null } {
  const p = positionFields(f.position, f.positionCode);
  if ('problem' in p) throw badInput(p.problem, 'positionCode');
  return p;
}

function checkFields(f: AccountFields): void {
  if (f.fullName !== undefined && (!f.fullName || f.fullName.length > 100)) throw badInput('fullName must be 1 to 100 characters.', 'fullName');
  if (f.position && f.position.length > 100) throw badInput('position must be at most 100 characters.', 'position');
  if (f.roles !== undefined) {
    if (!f.roles || f.roles.length === 0) throw badInput('An account needs at least one role.', 'roles');
    if (new Set(f.roles).size !== f.roles.length) throw badInput('Each role may be given once.', 'roles');
  }
}

async function loadAccount(ctx: Context, id: string): Promise<Account> {
  const account = await ctx.em.findOne(Account, { id: keyOf('Account', id, 'id') });
  if (!account) throw notFound('No account');
  return account;
}

async function loadUnit(ctx: Context, unitId: string): Promise<Unit> {
  const unit = await ctx.em.findOne(Unit, { id: keyOf('Unit', unitId, 'unitId') });
  if (!unit) throw new AppError(ErrorCode.NOT_FOUND, 'No unit was found with this unitId.', { field: 'unitId' });
  return unit;
}

function record(ctx: Pick<Context, 'em' | 'viewer' | 'app'>, account: Account | string, type: string, detail?: Record<string, unknown>, reason?: string) {
  const { em } = ctx;
  em.create(AccountEvent, { account, actor: ctx.viewer?.accountId ?? null, type, detail: detail ?? null, reason: reason ?? null, at: ctx.app.clock.now() });
}

/** The account event kept when a change of roles or rights is refused (GRANT_REFUSED). */
export const GRANT_REFUSED_EVENT = 'GRANT_REFUSED';

/**
 * Refuses a change of roles or rights with GRANT_REFUSED and keeps the attempt in the history of
 * `accountId` (the account it was aimed at, or the actor's own when there is none yet). The record is
 * written in a transaction of its own, committed although the change is not, even when the caller is
 * inside a transaction that the refusal rolls back.
 */
export async function refuseGrant(
  ctx: Context,
  accountId: string,
  operation: string,
  message: string,
  detail: Record<string, unknown> = {},
  field?: string,
): Promise<never> {
  await ctx.em.fork().transactional(
    async (em) => {
      record(
        { em, viewer: ctx.viewer, app: ctx.app },
        em.getReference(Account, accountId),
        GRANT_REFUSED_EVENT,
        { operation, ...detail },
        message.slice(0, 500),
      );
    },
    { propagation: TransactionPropagation.REQUIRES_NEW },
  );
  ctx.app.log.warn({ accountId, actor: ctx.viewer?.accountId, operation }, 'change of rights refused');
  throw new AppError(ErrorCode.GRANT_REFUSED, message, field ? { field } : undefined);
}

/**
 * Whether `account` may come to hold `roles` (besides the role combination itself): an account about to
 * hold SYSADMIN must have no rule of its own granting document content and no delegation in force or
 * to come (ủy quyền), since either would let the administrator read documents.
 */
async function sysadminHoldsDocumentRights(ctx: Context, accountId: string): Promise<string | null> {
  const grants = await ctx.em.find(PermissionGrant, { account: accountId, revokedAt: null, inverted: false });
  if (grants.some((g) => DOCUMENT_CONTENT_SUBJECTS.has(g.subject as never))) {
    return 'The account has rules of its own that grant document content: remove them (removePermissionRule) before making it a SYSADMIN.';
  }
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (await ctx.em.count(Delegation, { toAccount: accountId, revokedAt: null, endDate: { $gte: today } })) {
    return 'The account holds a delegation (ủy quyền) in force or to come: revoke it before making the account a SYSADMIN.';
  }
  return null;
}

/** Refuses a change that would leave no active SYSADMIN (the system could no longer be administered). */
async function guardLastSysadmin(em: EntityManager, accountId: string): Promise<void> {
  const others = await em.count(Account, { id: { $ne: accountId }, status: AccountStatus.ACTIVE, roles: { $contains: [Role.SYSADMIN] } });
  if (others === 0) throw new AppError(ErrorCode.LAST_SYSADMIN);
}

/** Creates an account with a one-time initial password, returned once (SYSADMIN). */
export async function createAccount(
  ctx: Context,
  input: { username: string; fullName: string; position?: string | null; positionCode?: Position | null; unitId: string; roles: Role[] },
): Promise<{ account: Account; initialPassword: string }> {
  authorize(ctx, 'create', 'Account');
  const username = normaliseUsername(input.username);
  if (!username) throw badInput('username must be the person’s official e-mail address, such as nguyenvana@sxd.binhdinh.gov.vn.', 'username');
  checkFields(input);
  const position = positionOf(input);
  const combination = roleCombinationProblem(input.roles);
  if (combination) await refuseGrant(ctx, requireViewer(ctx).accountId, 'createAccount', combination, { username, roles: input.roles }, 'roles');
  const unit = await loadUnit(ctx, input.unitId);
  if (await ctx.em.count(Account, { username }))
    throw new AppError(ErrorCode.ALREADY_EXISTS, 'An account with this user name already exists.', { field: 'username' });
  const initialPassword = generateInitialPassword();
  const passwordHash = await ctx.app.hasher.hash(initialPassword);
  try {
    const account = await withTransaction(ctx, async (tx) => {
      const { em } = tx;
      const account = em.create(Account, {
        username,
        fullName: input.fullName,
        ...position,
        unit,
        roles: input.roles,
        passwordHash,
        mustChangePassword: true,
      });
      em.create(AccountUnitPeriod, { account, unit, startedAt: ctx.app.clock.now(), reason: 'Account created' });
      record(tx, account, 'CREATED', { unitId: unit.id, roles: input.roles });
      return account;
    });
    return { account, initialPassword };
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException)
      throw new AppError(ErrorCode.ALREADY_EXISTS, 'An account with this user name already exists.', { field: 'username' });
    throw e;
  }
}

/** Changes the name, position or roles of an account (SYSADMIN). */
export async function updateAccount(ctx: Context, id: string, input: AccountFields): Promise<Account> {
  authorize(ctx, 'update', 'Account');
  const account = await loadAccount(ctx, id);
  checkFields(input);
  const position = input.position !== undefined || input.positionCode !== undefined ? positionOf(input) : null;
  if (input.roles && !sameRoles(input.roles, account.roles)) {
    const attempt = { roles: input.roles, before: account.roles };
    const problem =
      selfGrantProblem(ctx.viewer?.accountId, account.id) ??
      roleCombinationProblem(input.roles) ??
      (input.roles.includes(Role.SYSADMIN) && !account.roles.includes(Role.SYSADMIN) ? await sysadminHoldsDocumentRights(ctx, account.id) : null);
    if (problem) await refuseGrant(ctx, account.id, 'updateAccount', problem, attempt, 'input.roles');
  }
  return announcedAfter(
    ctx,
    account.id,
    withTransaction(ctx, async (tx) => {
      const { em } = tx;
      if (input.roles && account.roles.includes(Role.SYSADMIN) && !input.roles.includes(Role.SYSADMIN) && account.status === AccountStatus.ACTIVE) {
        await guardLastSysadmin(em, account.id);
      }
      const before = { fullName: account.fullName, position: account.position, positionCode: account.positionCode ?? null, roles: account.roles };
      if (input.fullName) account.fullName = input.fullName;
      if (position) Object.assign(account, position);
      if (input.roles) account.roles = input.roles;
      em.persist(account);
      const after = { fullName: account.fullName, position: account.position, positionCode: account.positionCode ?? null, roles: account.roles };
      record(tx, account, 'UPDATED', { before, after });
      return account;
    }),
  );
}

/**
 * Moves an account to another unit; the history keeps where it was. Its open assignments go to
 * `handOverTo`, an account of the unit it leaves, or the transfer is refused (OPEN_ASSIGNMENTS; see hand-over.ts) (SYSADMIN).
 */
export async function transferAccount(ctx: Context, id: string, unitId: string, reason: string, handOverTo?: string | null): Promise<Account> {
  authorize(ctx, 'transfer', 'Account');
  if (!reason || reason.length > 500) throw badInput('reason must be 1 to 500 characters.', 'reason');
  const account = await loadAccount(ctx, id);
  const unit = await loadUnit(ctx, unitId);
  if (account.unit.id === unit.id) throw badInput('The account is already in this unit.', 'unitId');
  const now = ctx.app.clock.now();
  const target = handOverTo ? await handOverTarget(ctx.em, account, handOverTo) : null;
  return announcedAfter(
    ctx,
    account.id,
    withTransaction(ctx, async (tx) => {
      const { em } = tx;
      const handedOver = await handOverOpenAssignments(tx, account, target, 'transfer', `điều chuyển: ${reason}`);
      await em.nativeUpdate(AccountUnitPeriod, { account: account.id, endedAt: null }, { endedAt: now });
      const from = account.unit.id;
      account.unit = unit;
      em.persist(account);
      em.create(AccountUnitPeriod, { account, unit, startedAt: now, reason });
      record(tx, account, 'TRANSFERRED', { fromUnitId: from, toUnitId: unit.id, ...(handedOver ? { handedOver, handOverTo: target!.id } : {}) }, reason);
      return account;
    }),
  );
}

/**
 * Disables an account (never deletes it): its tokens stop working and its live connections close. Its
 * open assignments go to `handOverTo`, an account of the same unit, or it is refused (OPEN_ASSIGNMENTS; see hand-over.ts) (SYSADMIN).
 */
export async function disableAccount(ctx: Context, id: string, reason: AccountEndReason, handOverTo?: string | null): Promise<Account> {
  authorize(ctx, 'disable', 'Account');
  const account = await loadAccount(ctx, id);
  if (account.status === AccountStatus.DISABLED) throw new AppError(ErrorCode.INVALID_TRANSITION, 'The account is already disabled.');
  const target = handOverTo ? await handOverTarget(ctx.em, account, handOverTo) : null;
  await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    if (account.roles.includes(Role.SYSADMIN)) await guardLastSysadmin(em, account.id);
    const handedOver = await handOverOpenAssignments(tx, account, target, 'disable', `khóa tài khoản (${reason})`);
    if (handedOver) record(tx, account, 'HANDED_OVER', { count: handedOver, handOverTo: target!.id });
    account.status = AccountStatus.DISABLED;
    account.endReason = reason;
    em.persist(account);
    await revokeSessions(em, ctx.app, account.id);
    record(tx, account, 'DISABLED', { reason });
  });
  await ctx.app.announceRevocation(account.id);
  return account;
}

/** Gives a disabled account its access back (SYSADMIN). */
export async function enableAccount(ctx: Context, id: string): Promise<Account> {
  authorize(ctx, 'enable', 'Account');
  const account = await loadAccount(ctx, id);
  if (account.status === AccountStatus.ACTIVE) throw new AppError(ErrorCode.INVALID_TRANSITION, 'The account is already active.');
  return announcedAfter(
    ctx,
    account.id,
    withTransaction(ctx, async (tx) => {
      const { em } = tx;
      account.status = AccountStatus.ACTIVE;
      account.endReason = null;
      em.persist(account);
      record(tx, account, 'ENABLED');
      return account;
    }),
  );
}

/** Sets a new one-time initial password; the person must change it before anything else (SYSADMIN). */
export async function resetPassword(ctx: Context, id: string): Promise<string> {
  authorize(ctx, 'resetPassword', 'Account');
  const account = await loadAccount(ctx, id);
  const initialPassword = generateInitialPassword();
  const passwordHash = await ctx.app.hasher.hash(initialPassword);
  await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await em.nativeUpdate(Account, { id: account.id }, { passwordHash, mustChangePassword: true, updatedAt: ctx.app.clock.now() });
    await revokeSessions(em, ctx.app, account.id);
    record(tx, account, 'PASSWORD_RESET');
  });
  await ctx.app.announceRevocation(account.id);
  return initialPassword;
}

export interface AccountFilter {
  unitId?: string | null;
  role?: Role | null;
  status?: AccountStatus | null;
  text?: string | null;
}

/** The account directory, filtered and paged. */
export async function listAccounts(
  ctx: Context,
  filter: AccountFilter | null | undefined,
  first?: number | null,
  after?: string | null,
): Promise<Page<Account>> {
  authorize(ctx, 'read', 'Account');
  const where: FilterQuery<Account>[] = [readableAccounts(ctx)];
  if (filter?.unitId) where.push({ unit: keyOf('Unit', filter.unitId, 'filter.unitId') });
  if (filter?.role) where.push({ roles: { $contains: [filter.role] } });
  if (filter?.status) where.push({ status: filter.status });
  if (filter?.text) {
    if (filter.text.length > 100) throw badInput('filter.text must be at most 100 characters.', 'filter.text');
    const like = containing(filter.text);
    where.push({ $or: [{ username: { $ilike: like } }, { fullName: { $ilike: like } }] });
  }
  return paginate(ctx.em, Account, { $and: where }, { key: 'username', first, after });
}

/**
 * createAccount with an idempotency key. A retry returns the account the first call created; its
 * initial password was shown once and is not shown again (reset it if it was lost).
 */
export async function createAccountOnce(
  ctx: Context,
  input: { username: string; fullName: string; position?: string | null; positionCode?: Position | null; unitId: string; roles: Role[] },
  key?: string | null,
): Promise<{ account: Account; initialPassword: string | null }> {
  let password: string | null = null;
  const account = await once(
    ctx,
    key,
    'createAccount',
    async (c) => {
      const created = await createAccount(c, input);
      password = created.initialPassword;
      return created.account;
    },
    (c, id) => c.em.findOneOrFail(Account, { id }),
  );
  return { account, initialPassword: password };
}

/**
 * The history of one account (lịch sử tài khoản), newest first: creation, changes, transfers,
 * disabling, password resets, and the refused attempts to change its rights (SYSADMIN).
 */
export async function accountHistory(ctx: Context, id: string, first?: number | null, after?: string | null): Promise<Page<AccountEvent>> {
  authorize(ctx, 'update', 'Account');
  const account = await loadAccount(ctx, id);
  return paginate(ctx.em, AccountEvent, { account: account.id }, { key: 'id', first, after, direction: 'desc' });
}

/** The result of a committed change to an account's viewer (roles, unit, status), once every process has heard of it. */
async function announcedAfter<T>(ctx: Context, accountId: string, committed: Promise<T>): Promise<T> {
  const result = await committed;
  await ctx.app.announceViewerChange(accountId);
  return result;
}
