import type { AbilityBuilder, MongoQuery } from '@casl/ability';
import type { Action, AppAbility, SubjectType } from './ability';
import type { Viewer } from './viewer';

/**
 * The only conditions an administrator may attach to a rule: no raw queries come from the API.
 * Each becomes, per subject, a fixed CASL condition over the viewer's own unit, department,
 * keeping unit or account.
 */
export enum ConditionKind {
  ANY = 'ANY',
  OWN_UNIT = 'OWN_UNIT',
  OWN_DEPARTMENT = 'OWN_DEPARTMENT',
  OWN_KEEPING_UNIT = 'OWN_KEEPING_UNIT',
  /** Every unit of the viewer's agency, its subordinate units and their departments included (reports only). */
  OWN_AGENCY = 'OWN_AGENCY',
  ASSIGNED_TO_ME = 'ASSIGNED_TO_ME',
  DRAFTED_BY_ME = 'DRAFTED_BY_ME',
}

export type RuleSubject = Exclude<SubjectType, 'all'>;

/** The actions that mean something for each subject. */
export const SUBJECT_ACTIONS: Readonly<Record<RuleSubject, readonly Action[]>> = {
  Unit: ['read', 'create', 'update'],
  Account: ['read', 'create', 'update', 'disable', 'enable', 'transfer', 'resetPassword'],
  DocumentType: ['read', 'create', 'update'],
  Correspondent: ['read', 'create', 'update'],
  IncomingDocument: ['read', 'receive', 'register', 'reject', 'submit', 'assign', 'correct', 'annul'],
  OutgoingDocument: ['read', 'create', 'revise', 'submit', 'approve', 'returnFromReview', 'returnFromSignature', 'sign', 'issue', 'recall'],
  Dossier: ['read', 'open', 'update', 'file', 'close', 'reopen'],
  Report: ['read'],
  Assignment: ['read', 'process', 'delegate'],
  StoredFile: ['read'],
  RoutingEvent: ['read'],
  WorkSchedule: ['read', 'create', 'update', 'submit', 'revise', 'approve', 'returnFromReview'],
};

/** Fields a rule may name, per subject (the sensitive ones resolve to null when not readable). */
export const SUBJECT_FIELDS: Readonly<Partial<Record<RuleSubject, readonly string[]>>> = {
  Account: ['id', 'username', 'fullName', 'position', 'unit', 'roles', 'status', 'lastSeenAt'],
  IncomingDocument: ['note', 'subject'],
  OutgoingDocument: ['note', 'subject'],
  Assignment: ['instruction', 'result', 'returnReason'],
  RoutingEvent: ['note'],
};

/** Subjects whose content SYSADMIN may never be granted. */
export const DOCUMENT_CONTENT_SUBJECTS: ReadonlySet<RuleSubject> = new Set([
  'IncomingDocument',
  'OutgoingDocument',
  'Dossier',
  'Assignment',
  'StoredFile',
  'WorkSchedule',
]);

/** The CASL condition of `kind` on `subject` for `viewer`; undefined when the pair makes no sense. */
export function conditionFor(subject: RuleSubject, kind: ConditionKind, v: Viewer): MongoQuery | null | undefined {
  if (kind === ConditionKind.ANY) return null;
  const dept = v.departmentId ?? '00000000-0000-0000-0000-000000000000';
  switch (subject) {
    case 'Account':
      if (kind === ConditionKind.OWN_UNIT) return { unit: v.unitId };
      if (kind === ConditionKind.OWN_DEPARTMENT) return { unit: dept };
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { unit: { $in: [...v.keepingUnitMemberIds] } };
      return undefined;
    case 'IncomingDocument':
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { keepingUnit: v.keepingUnitId };
      if (kind === ConditionKind.OWN_UNIT) return { assignments: { $elemMatch: { scopeUnit: v.unitId, active: true } } };
      if (kind === ConditionKind.OWN_DEPARTMENT) return { assignments: { $elemMatch: { scopeUnit: dept, active: true } } };
      if (kind === ConditionKind.ASSIGNED_TO_ME) return { assignments: { $elemMatch: { assignee: v.accountId, active: true } } };
      return undefined;
    case 'OutgoingDocument':
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { keepingUnit: v.keepingUnitId };
      if (kind === ConditionKind.OWN_UNIT) return { draftingUnit: v.unitId };
      if (kind === ConditionKind.OWN_DEPARTMENT) return { draftingUnit: dept };
      if (kind === ConditionKind.DRAFTED_BY_ME) return { drafter: v.accountId };
      return undefined;
    case 'Dossier':
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { keepingUnit: v.keepingUnitId };
      if (kind === ConditionKind.OWN_UNIT) return { ownerUnit: v.unitId };
      if (kind === ConditionKind.OWN_DEPARTMENT) return { ownerUnit: dept };
      return undefined;
    case 'Assignment':
      if (kind === ConditionKind.ASSIGNED_TO_ME) return { assignee: v.accountId };
      if (kind === ConditionKind.OWN_UNIT) return { assigneeUnit: v.unitId };
      if (kind === ConditionKind.OWN_DEPARTMENT) return { assigneeUnit: dept };
      return undefined;
    case 'WorkSchedule':
      // The services keep every schedule inside its agency whatever a rule says (participants aside, only the own keeping unit's).
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { keepingUnit: v.keepingUnitId };
      if (kind === ConditionKind.ASSIGNED_TO_ME) return { participantAccounts: v.accountId };
      if (kind === ConditionKind.OWN_UNIT) return { participantUnits: v.unitId };
      return undefined;
    case 'Report':
      if (kind === ConditionKind.OWN_UNIT) return { unit: v.unitId };
      if (kind === ConditionKind.OWN_KEEPING_UNIT) return { unit: { $in: [...v.keepingUnitMemberIds] } };
      if (kind === ConditionKind.OWN_AGENCY) return { agency: v.agencyId };
      return undefined;
    default:
      return undefined;
  }
}

export interface CustomRule {
  action: Action;
  subject: RuleSubject;
  condition: ConditionKind;
  fields?: string[] | null;
  inverted: boolean;
  reason?: string | null;
}

/** Why a rule cannot be stored, or null. Conditions are checked against a sample viewer in a department. */
export function ruleProblem(r: CustomRule): string | null {
  const actions = SUBJECT_ACTIONS[r.subject];
  if (!actions) return `subject must be one of ${Object.keys(SUBJECT_ACTIONS).join(', ')}.`;
  if (!actions.includes(r.action)) return `action must be one of ${actions.join(', ')} for ${r.subject}.`;
  if (!Object.values(ConditionKind).includes(r.condition)) return `condition must be one of ${Object.values(ConditionKind).join(', ')}.`;
  const sample: Viewer = {
    accountId: 'a',
    roles: [],
    unitId: 'u',
    unitKind: 'DEPARTMENT' as never,
    keepingUnitId: 'k',
    keepingUnitMemberIds: ['k', 'u'],
    departmentId: 'u',
    agencyId: 'g',
    inOffice: false,
  };
  if (conditionFor(r.subject, r.condition, sample) === undefined) return `condition ${r.condition} does not apply to ${r.subject}.`;
  if (r.fields?.length) {
    const allowed = SUBJECT_FIELDS[r.subject] ?? [];
    const unknown = r.fields.filter((f) => !allowed.includes(f));
    if (unknown.length)
      return `fields ${unknown.join(', ')} cannot be ruled on for ${r.subject}${allowed.length ? ` (choose among ${allowed.join(', ')})` : ''}.`;
  }
  return null;
}

/** Adds an administrator's rules after the role defaults: a later deny overrides an earlier allow (CASL). */
export function applyCustomRules(b: AbilityBuilder<AppAbility>, v: Viewer, rules: readonly CustomRule[]): void {
  for (const r of rules) {
    const cond = conditionFor(r.subject, r.condition, v);
    if (cond === undefined) continue;
    const fields = r.fields?.length ? [...r.fields] : undefined;
    const add = r.inverted ? b.cannot.bind(b) : b.can.bind(b);
    const rule =
      cond === null
        ? fields
          ? add(r.action, r.subject, fields)
          : add(r.action, r.subject)
        : fields
          ? add(r.action, r.subject, fields, cond)
          : add(r.action, r.subject, cond);
    if (r.reason) rule.because(r.reason);
  }
}

/** Whom a stored rule names: one account, or the holders of a role (in one unit, when `unitId` is set). */
export interface RuleTarget {
  accountId: string | null;
  role: string | null;
  unitId: string | null;
}

/** Whether a stored rule applies to the viewer. */
export function ruleAppliesTo(t: RuleTarget, v: Pick<Viewer, 'accountId' | 'roles' | 'unitId'>): boolean {
  if (t.accountId) return t.accountId === v.accountId;
  if (!t.role || !v.roles.includes(t.role as never)) return false;
  return !t.unitId || t.unitId === v.unitId;
}
