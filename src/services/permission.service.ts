import type { FilterQuery } from '@mikro-orm/core';
import { Account, Delegation, PermissionChange, PermissionGrant, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { AccountStatus, Role, selfGrantProblem } from '../domain/accounts/account-rules';
import { defineAbilityFor } from '../domain/permissions/ability';
import { ConditionKind, DOCUMENT_CONTENT_SUBJECTS, ruleProblem, type CustomRule, type RuleSubject } from '../domain/permissions/custom-rules';
import { DelegationRight } from '../domain/permissions/delegation';
import { DelegationForm, mayBeDelegatedSigning } from '../domain/signing/capacity';
import type { Action } from '../domain/permissions/ability';
import type { Viewer } from '../domain/permissions/viewer';
import { UnitKind } from '../domain/units/unit-rules';
import { isCalendarDate, officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { refuseGrant } from './account.service';
import { agencyIdOf } from './agencies';
import { requireViewer } from './guards';
import { rulesFor } from './permission-store';
import { viewerRules } from './viewer.service';

export interface AddRuleInput {
  role?: Role | null;
  accountId?: string | null;
  /** With role: the rule holds only for the role's holders in this unit. */
  unitId?: string | null;
  action: string;
  subject: string;
  condition: ConditionKind;
  fields?: string[] | null;
  inverted: boolean;
  reason: string;
}

function requireSysadmin(ctx: Context): Viewer {
  const v = requireViewer(ctx);
  if (!v.roles.includes(Role.SYSADMIN)) throw forbidden('Only a SYSADMIN manages permission rules.');
  return v;
}

/** The viewer an account stands for, as the session check builds it, for computing its rules. */
export async function viewerOf(ctx: Context, account: Account): Promise<Viewer> {
  const unit = await ctx.em.findOneOrFail(Unit, { id: account.unit.id });
  const keepingUnitId = unit.kind === UnitKind.DEPARTMENT && unit.parent ? unit.parent.id : unit.id;
  const members = await ctx.em.find(Unit, { $or: [{ id: keepingUnitId }, { parent: keepingUnitId, kind: UnitKind.DEPARTMENT }] });
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  const delegations = await ctx.em.find(Delegation, { toAccount: account.id, revokedAt: null, startDate: { $lte: today }, endDate: { $gte: today } });
  return {
    accountId: account.id,
    roles: account.roles,
    unitId: unit.id,
    unitKind: unit.kind,
    keepingUnitId,
    keepingUnitMemberIds: members.map((m) => m.id),
    departmentId: unit.kind === UnitKind.DEPARTMENT ? unit.id : null,
    agencyId: await agencyIdOf(ctx.em, unit.id),
    inOffice: unit.kind === UnitKind.DEPARTMENT && unit.shortName === 'VP',
    delegations: delegations.map((d) => ({ right: d.right, scopeUnitId: d.scopeUnit.id, delegationId: d.id, fromAccountId: d.fromAccount.id })),
  };
}

async function customRulesFor(ctx: Context, viewer: Viewer, extra: PermissionGrant[] = [], exclude: string[] = []): Promise<CustomRule[]> {
  const active = await ctx.em.find(PermissionGrant, { revokedAt: null, id: { $nin: exclude } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return rulesFor([...active.filter((r) => !extra.includes(r)), ...extra], viewer);
}

/**
 * Adds a rule for a role or an account (SYSADMIN). Refused: conditions outside the vocabulary, any
 * grant of document content to a SYSADMIN, and a rule that would leave no SYSADMIN able to manage accounts.
 */
export async function addRule(ctx: Context, input: AddRuleInput): Promise<PermissionGrant> {
  const admin = requireSysadmin(ctx);
  if (!input.role === !input.accountId) throw badInput('Name exactly one of role and accountId.', 'input');
  const reason = (input.reason ?? '').trim();
  if (!reason || reason.length > 500) throw badInput('input.reason must say why, in 1 to 500 characters.', 'input.reason');
  const rule: CustomRule = {
    action: input.action as Action,
    subject: input.subject as RuleSubject,
    condition: input.condition,
    fields: input.fields ?? null,
    inverted: input.inverted,
  };
  const problem = ruleProblem(rule);
  if (problem) throw badInput(problem, 'input');
  const account = input.accountId ? await ctx.em.findOne(Account, { id: keyOf('Account', input.accountId, 'input.accountId') }) : null;
  if (input.accountId && !account) throw new AppError(ErrorCode.NOT_FOUND, 'No account was found with input.accountId.', { field: 'input.accountId' });
  if (input.unitId && !input.role) throw badInput('input.unitId narrows a rule for a role: give role as well.', 'input.unitId');
  const unit = input.unitId ? await ctx.em.findOne(Unit, { id: keyOf('Unit', input.unitId, 'input.unitId') }) : null;
  if (input.unitId && !unit) throw new AppError(ErrorCode.NOT_FOUND, 'No unit was found with input.unitId.', { field: 'input.unitId' });
  const attempt = { rule: { role: input.role ?? null, action: rule.action, subject: rule.subject, condition: rule.condition, inverted: rule.inverted } };
  const self = account ? selfGrantProblem(admin.accountId, account.id) : null;
  if (account && self) await refuseGrant(ctx, account.id, 'addPermissionRule', self, attempt, 'input.accountId');
  const targetsSysadmin = input.role === Role.SYSADMIN || Boolean(account?.roles.includes(Role.SYSADMIN));
  if (!input.inverted && targetsSysadmin && DOCUMENT_CONTENT_SUBJECTS.has(rule.subject)) {
    const message = 'A SYSADMIN administers accounts and permissions and may not be given document content (Điều 6.3, 8.4).';
    await refuseGrant(ctx, account?.id ?? admin.accountId, 'addPermissionRule', message, attempt, 'input.subject');
  }
  const changed = await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const grant = em.create(PermissionGrant, {
      role: input.role ?? null,
      account: account ?? null,
      unit,
      action: rule.action,
      subject: rule.subject,
      condition: rule.condition,
      fields: rule.fields?.length ? rule.fields : null,
      inverted: rule.inverted,
      reason,
      createdBy: admin.accountId,
      createdAt: ctx.app.clock.now(),
    });
    await guardAdministration(tx, [grant], []);
    em.create(PermissionChange, { rule: grant, change: 'ADDED', actor: admin.accountId, reason, at: ctx.app.clock.now() });
    return grant;
  });
  // Every viewer carries the permissions version: every process reads it again.
  await ctx.app.announceViewerChange();
  return changed;
}

/** Removes a rule (SYSADMIN); the rule stays in the history. */
export async function removeRule(ctx: Context, id: string, reason: string): Promise<PermissionGrant> {
  const admin = requireSysadmin(ctx);
  const why = (reason ?? '').trim();
  if (!why || why.length > 500) throw badInput('reason must say why, in 1 to 500 characters.', 'reason');
  const grant = await ctx.em.findOne(PermissionGrant, { id: keyOf('PermissionRule', id, 'id') });
  if (!grant) throw new AppError(ErrorCode.NOT_FOUND, 'No permission rule was found with this id.');
  if (grant.revokedAt) throw new AppError(ErrorCode.INVALID_TRANSITION, 'The rule was already removed.');
  // Removing a rule of one's own account (a deny, say) changes one's own rights as much as adding one.
  const self = grant.account ? selfGrantProblem(admin.accountId, grant.account.id) : null;
  if (grant.account && self) await refuseGrant(ctx, grant.account.id, 'removePermissionRule', self, { ruleId: grant.id });
  const changed = await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await guardAdministration(tx, [], [grant.id]);
    grant.revokedAt = ctx.app.clock.now();
    grant.revokedBy = em.getReference(Account, admin.accountId);
    em.persist(grant);
    em.create(PermissionChange, { rule: grant, change: 'REMOVED', actor: admin.accountId, reason: why, at: ctx.app.clock.now() });
    return grant;
  });
  // Every viewer carries the permissions version: every process reads it again.
  await ctx.app.announceViewerChange();
  return changed;
}

/** After the change, some active SYSADMIN must still be able to manage accounts: nobody locks the system out. */
async function guardAdministration(ctx: Context, added: PermissionGrant[], removedIds: string[]): Promise<void> {
  const admins = await ctx.em.find(Account, { status: AccountStatus.ACTIVE, roles: { $contains: [Role.SYSADMIN] } });
  for (const a of admins) {
    const v = await viewerOf(ctx, a);
    const ability = defineAbilityFor(v, await customRulesFor(ctx, v, added, removedIds));
    if (ability.can('create', 'Account') && ability.can('update', 'Account') && ability.can('enable', 'Account')) return;
  }
  throw new AppError(ErrorCode.LOCKOUT_REFUSED, 'This rule would leave no SYSADMIN able to manage accounts. Keep at least one administrator able to.');
}

/** Active administrator rules, optionally for one role or account (SYSADMIN). */
export async function listRules(ctx: Context, role?: Role | null, accountId?: string | null): Promise<PermissionGrant[]> {
  requireSysadmin(ctx);
  const where: FilterQuery<PermissionGrant> = { revokedAt: null };
  if (role) where.role = role;
  if (accountId) where.account = keyOf('Account', accountId, 'accountId');
  return ctx.em.find(PermissionGrant, where, { orderBy: { createdAt: 'asc' } });
}

/** The history of rule changes, newest first (SYSADMIN). */
export async function history(ctx: Context, first?: number | null, after?: string | null): Promise<Page<PermissionChange>> {
  requireSysadmin(ctx);
  return paginate(ctx.em, PermissionChange, {}, { key: 'id', first, after, direction: 'desc' });
}

/** Any account's effective rules in CASL's form (SYSADMIN), as that account's own myPermissions shows them. */
export async function effectiveRulesOf(ctx: Context, accountId: string) {
  requireSysadmin(ctx);
  const account = await ctx.em.findOne(Account, { id: keyOf('Account', accountId, 'accountId') });
  if (!account) throw new AppError(ErrorCode.NOT_FOUND, 'No account was found with this accountId.');
  const v = await viewerOf(ctx, account);
  const ability = defineAbilityFor(v, await customRulesFor(ctx, v));
  return viewerRules({ ...ctx, ability });
}

/**
 * A role's effective rules (SYSADMIN): the defaults and the rules added for the role, with the
 * viewer-relative values written as placeholders ($ME, $OWN_UNIT, $OWN_DEPARTMENT, $OWN_KEEPING_UNIT,
 * $KEEPING_UNIT_UNITS) since they differ for each account.
 */
export async function effectiveRulesOfRole(ctx: Context, role: Role) {
  requireSysadmin(ctx);
  const v: Viewer = {
    accountId: '$ME',
    roles: [role],
    unitId: '$OWN_UNIT',
    unitKind: UnitKind.DEPARTMENT,
    keepingUnitId: '$OWN_KEEPING_UNIT',
    keepingUnitMemberIds: ['$KEEPING_UNIT_UNITS'],
    departmentId: '$OWN_DEPARTMENT',
    agencyId: '$OWN_AGENCY',
    inOffice: false,
    delegations: [],
  };
  const rows = await ctx.em.find(PermissionGrant, { revokedAt: null, role, unit: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const custom = rows.map((r) => ({
    action: r.action as Action,
    subject: r.subject as RuleSubject,
    condition: r.condition,
    fields: r.fields ?? null,
    inverted: r.inverted,
    reason: r.reason,
  }));
  return viewerRules({ ...ctx, ability: defineAbilityFor(v, custom) });
}

export interface DelegateInput {
  accountId: string;
  right: DelegationRight;
  form?: DelegationForm | null;
  startDate: string;
  endDate: string;
  reason?: string | null;
}

/** A director delegates signing, or a head review, to a deputy of the same unit for a range of days. */
export async function delegate(ctx: Context, input: DelegateInput): Promise<Delegation> {
  const v = requireViewer(ctx);
  if (input.right === DelegationRight.SIGN && !v.roles.includes(Role.DIRECTOR)) throw forbidden('Only a director delegates signing.');
  if (input.right === DelegationRight.REVIEW && !v.roles.includes(Role.HEAD)) throw forbidden('Only a head delegates review.');
  for (const f of ['startDate', 'endDate'] as const)
    if (!isCalendarDate(input[f])) throw badInput(`input.${f} must be a calendar day written YYYY-MM-DD.`, `input.${f}`);
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (input.endDate < input.startDate) throw badInput('input.endDate must not be before input.startDate.', 'input.endDate');
  if (input.endDate < today) throw badInput('input.endDate is already past.', 'input.endDate');
  const to = await ctx.em.findOne(Account, { id: keyOf('Account', input.accountId, 'input.accountId') });
  if (!to || to.status !== AccountStatus.ACTIVE)
    throw new AppError(ErrorCode.NOT_FOUND, 'No active account was found with input.accountId.', { field: 'input.accountId' });
  if (to.id === v.accountId) throw badInput('Delegate to someone else.', 'input.accountId');
  // The administrator reads no document: it neither receives a right over documents nor gives one.
  if (to.roles.includes(Role.SYSADMIN) || v.roles.includes(Role.SYSADMIN)) {
    await refuseGrant(
      ctx,
      to.id,
      'delegateAuthority',
      'A SYSADMIN reads no document (Điều 6.3): it can neither receive nor give a delegation (ủy quyền). Choose a deputy who is not an administrator.',
      { right: input.right, from: v.accountId },
      'input.accountId',
    );
  }
  const scopeUnit = input.right === DelegationRight.SIGN ? v.keepingUnitId : v.unitId;
  const toViewer = await viewerOf(ctx, to);
  if ((input.right === DelegationRight.SIGN ? toViewer.keepingUnitId : toViewer.unitId) !== scopeUnit) {
    throw badInput('The deputy must work in the same unit as the one who delegates.', 'input.accountId');
  }
  if (input.right === DelegationRight.REVIEW && input.form) throw badInput('input.form is for a SIGN delegation only.', 'input.form');
  // Only a deputy of the head (KT.) or the head of one of the body's units (TL., TUQ.) signs for the head (NĐ 30/2020 Điều 13).
  const signingProblem = input.right === DelegationRight.SIGN ? mayBeDelegatedSigning(to.positionCode ?? null) : null;
  if (signingProblem) throw new AppError(ErrorCode.SIGNING_CAPACITY_NOT_HELD, signingProblem, { field: 'input.accountId' });
  const d = ctx.em.create(Delegation, {
    fromAccount: v.accountId,
    toAccount: to,
    right: input.right,
    form: input.right === DelegationRight.SIGN ? (input.form ?? DelegationForm.AUTHORISATION) : null,
    scopeUnit,
    startDate: input.startDate,
    endDate: input.endDate,
    reason: input.reason ?? null,
    createdAt: ctx.app.clock.now(),
  });
  await ctx.em.flush();
  // The deputy's viewer carries the delegations in force.
  await ctx.app.announceViewerChange(to.id);
  return d;
}

/** Ends a delegation before its last day (the one who delegated, or SYSADMIN). */
export async function revokeDelegation(ctx: Context, id: string): Promise<Delegation> {
  const v = requireViewer(ctx);
  const d = await ctx.em.findOne(Delegation, { id: keyOf('Delegation', id, 'id') });
  if (!d || (d.fromAccount.id !== v.accountId && !v.roles.includes(Role.SYSADMIN)))
    throw new AppError(ErrorCode.NOT_FOUND, 'No delegation was found with this id.');
  if (d.revokedAt) throw new AppError(ErrorCode.INVALID_TRANSITION, 'The delegation was already revoked.');
  d.revokedAt = ctx.app.clock.now();
  await ctx.em.flush();
  await ctx.app.announceViewerChange(d.toAccount.id);
  return d;
}

/** Delegations the viewer gave or received. */
export async function myDelegations(ctx: Context): Promise<Delegation[]> {
  const v = requireViewer(ctx);
  return ctx.em.find(Delegation, { $or: [{ fromAccount: v.accountId }, { toAccount: v.accountId }] }, { orderBy: { createdAt: 'desc' } });
}

/** A rule administrators added, by its key, under the same rule as the list (SYSADMIN; removed rules are not listed). */
export async function findRule(ctx: Context, key: string): Promise<PermissionGrant | null> {
  const v = requireViewer(ctx);
  if (!v.roles.includes(Role.SYSADMIN)) return null;
  return ctx.em.findOne(PermissionGrant, { id: key, revokedAt: null });
}

/** A delegation the viewer gave or received, by its key (as in myDelegations), or null. */
export async function findDelegation(ctx: Context, key: string): Promise<Delegation | null> {
  const v = requireViewer(ctx);
  return ctx.em.findOne(Delegation, { $and: [{ id: key }, { $or: [{ fromAccount: v.accountId }, { toAccount: v.accountId }] }] });
}
