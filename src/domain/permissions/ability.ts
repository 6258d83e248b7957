import { AbilityBuilder, createMongoAbility, type MongoAbility, type MongoQuery } from '@casl/ability';
import { Role } from '../accounts/account-rules';
import { UnitKind } from '../units/unit-rules';
import { DOCUMENT_CONTENT_SUBJECTS, applyCustomRules, type CustomRule } from './custom-rules';
import type { DelegatedRight, Viewer } from './viewer';

export type Action =
  | 'manage'
  | 'read'
  | 'create'
  | 'update'
  | 'disable'
  | 'enable'
  | 'transfer'
  | 'resetPassword'
  // incoming documents
  | 'receive'
  | 'register'
  | 'reject'
  | 'submit'
  | 'assign'
  | 'correct'
  | 'annul'
  // assignments
  | 'process'
  | 'delegate'
  // outgoing documents
  | 'revise'
  | 'approve'
  | 'returnFromReview'
  | 'returnFromSignature'
  | 'sign'
  | 'issue'
  | 'recall'
  | 'number'

  // dossiers
  | 'open'
  | 'file'
  | 'close'
  | 'reopen';
export type SubjectType =
  | 'Unit'
  | 'Account'
  | 'DocumentType'
  | 'Correspondent'
  | 'IncomingDocument'
  | 'OutgoingDocument'
  | 'Dossier'
  | 'Report'
  | 'Assignment'
  | 'RoutingEvent'
  | 'StoredFile'
  | 'WorkSchedule'
  | 'all';
export type AppAbility = MongoAbility<[Action, SubjectType | Record<string, unknown>], MongoQuery>;
type Builder = AbilityBuilder<AppAbility>;

/** Fields of an account anyone signed in may read: the directory of colleagues. */
export const ACCOUNT_DIRECTORY_FIELDS = ['id', 'username', 'fullName', 'position', 'positionCode', 'unit', 'roles', 'status'];

/** What every signed-in account may do, whatever its roles. */
function everyone(b: Builder, v: Viewer) {
  b.can('read', 'Unit');
  // Assignments and history are reached only through a document the viewer may read; field rules may narrow them.
  b.can('read', 'Assignment');
  b.can('read', 'RoutingEvent');
  b.can('read', 'DocumentType');
  b.can('read', 'Correspondent');
  b.can('read', 'Account', ACCOUNT_DIRECTORY_FIELDS);
  b.can('read', 'Account', { id: v.accountId });
  // An internal notice, invitation or work schedule the keeping unit issued to the viewer's department.
  if (v.departmentId) b.can('read', 'OutgoingDocument', { state: { $in: ['ISSUED', 'RECALLED'] }, recipients: { $elemMatch: { unit: v.departmentId } } });
}

/**
 * Lịch công tác: a version of a keeping unit's weekly work schedule is checked as
 * `{ keepingUnit, published, participantAccounts, participantUnits }`. Once published it is read by
 * everyone of the keeping unit and by every participant (named, or a member of a named unit);
 * versions in progress only by those who draft or approve it (below).
 */
function scheduleReader(b: Builder, v: Viewer) {
  b.can('read', 'WorkSchedule', { keepingUnit: v.keepingUnitId, published: true });
  b.can('read', 'WorkSchedule', { published: true, participantAccounts: v.accountId });
  b.can('read', 'WorkSchedule', { published: true, participantUnits: { $in: [v.unitId, v.keepingUnitId] } });
}

/** The Office (Văn phòng) and the clerk draft the keeping unit's weekly work schedule and its revisions. */
function scheduleDrafter(b: Builder, v: Viewer) {
  b.can(['read', 'create', 'update', 'submit', 'revise'], 'WorkSchedule', { keepingUnit: v.keepingUnitId });
}

/** Lãnh đạo: every incoming document of the keeping unit, which it directs; oversees its people. */
function director(b: Builder, v: Viewer) {
  b.can('read', 'Account', { unit: { $in: [...v.keepingUnitMemberIds] } });
  b.can(['read', 'assign'], 'IncomingDocument', { keepingUnit: v.keepingUnitId });
  b.can(['read', 'sign', 'returnFromSignature', 'recall'], 'OutgoingDocument', { keepingUnit: v.keepingUnitId });
  b.can('open', 'Dossier');
  b.can(['read', 'update', 'file', 'close', 'reopen'], 'Dossier', { keepingUnit: v.keepingUnitId });
  b.can('read', 'Report', { unit: { $in: [...v.keepingUnitMemberIds] } });
  scheduleReader(b, v);
  // The director approves (and so publishes) the weekly work schedule, or returns it for changes.
  b.can(['read', 'approve', 'returnFromReview'], 'WorkSchedule', { keepingUnit: v.keepingUnitId });
  // Lãnh đạo Sở oversees the whole agency, its subordinate units included (Điều 7.2); a subordinate unit's director its own unit.
  if (v.unitKind === UnitKind.AGENCY && v.keepingUnitId === v.agencyId) b.can('read', 'Report', { agency: v.agencyId });
}

/** Văn thư: receives, registers, rejects and submits the keeping unit's incoming documents; keeps the correspondents. */
function clerk(b: Builder, v: Viewer) {
  b.can('create', 'Correspondent');
  b.can('update', 'Correspondent');
  b.can(['read', 'receive', 'register', 'reject', 'submit'], 'IncomingDocument', { keepingUnit: v.keepingUnitId });
  // Corrects and annuls the registrations of its own keeping unit (the unit that registered them).
  b.can(['correct', 'annul'], 'IncomingDocument', { keepingUnit: v.keepingUnitId });
  // The clerk sees an outgoing document once it is signed (Điều 9.2), and numbers and issues it.
  b.can('read', 'OutgoingDocument', { keepingUnit: v.keepingUnitId, state: { $in: ['SIGNED', 'NUMBERED', 'ISSUED', 'RECALLED', 'ANNULLED'] } });
  b.can(['issue', 'recall', 'number', 'annul'], 'OutgoingDocument', { keepingUnit: v.keepingUnitId });
  b.can('read', 'Dossier', { keepingUnit: v.keepingUnitId });
  scheduleReader(b, v);
  scheduleDrafter(b, v);
}

/** Trưởng/Phó phòng: documents assigned to the department or its people; acts on the department's assignments. */
function head(b: Builder, v: Viewer) {
  b.can('read', 'Account', { unit: v.unitId });
  b.can('read', 'IncomingDocument', { assignments: { $elemMatch: { scopeUnit: v.unitId, active: true } } });
  b.can(['process', 'delegate'], 'Assignment', { assigneeUnit: v.unitId, active: true });
  b.can('create', 'OutgoingDocument');
  b.can(['read', 'approve', 'returnFromReview'], 'OutgoingDocument', { draftingUnit: v.unitId });
  b.can(['read', 'update', 'file', 'close', 'reopen'], 'Dossier', { ownerUnit: v.unitId });
  b.can('read', 'Report', { unit: v.unitId });
  // The head of the Office follows the processing of the whole keeping unit (Điều 8.3).
  if (v.inOffice) b.can('read', 'Report', { unit: { $in: [...v.keepingUnitMemberIds] } });
  scheduleReader(b, v);
  if (v.inOffice) scheduleDrafter(b, v);
}

/** CCVC&NLĐ: documents assigned to them in any role; processes their own assignments. */
function staff(b: Builder, v: Viewer) {
  b.can('read', 'IncomingDocument', { assignments: { $elemMatch: { assignee: v.accountId, active: true } } });
  b.can('process', 'Assignment', { assignee: v.accountId, active: true });
  b.can('create', 'OutgoingDocument');
  b.can(['read', 'revise', 'submit'], 'OutgoingDocument', { drafter: v.accountId });
  b.can('open', 'Dossier');
  b.can(['read', 'update', 'file', 'close'], 'Dossier', { owner: v.accountId });
  b.can('read', 'Report', { account: v.accountId });
  scheduleReader(b, v);
  if (v.inOffice) scheduleDrafter(b, v);
}

/** Quản trị hệ thống: units, accounts and correspondents; never document contents. */
function sysadmin(b: Builder) {
  // Usage figures, never document content (Điều 11).
  b.can('read', 'Report');
  b.can('manage', 'Unit');
  b.can('manage', 'Account');
  b.can('manage', 'Correspondent');
  // The list of document types is reference data: added, renamed and retired by the administrator.
  b.can(['create', 'update'], 'DocumentType');
}

const BY_ROLE: Record<Role, (b: Builder, v: Viewer) => void> = {
  [Role.DIRECTOR]: director,
  [Role.CLERK]: clerk,
  [Role.HEAD]: head,
  [Role.STAFF]: staff,
  [Role.SYSADMIN]: sysadmin,
};

/**
 * The ability of a viewer: the union of its roles' rules, then the rights delegated to it for today,
 * then the rules an administrator added for its roles and its account (a deny there wins).
 */
export function defineAbilityFor(viewer: Viewer, custom: readonly CustomRule[] = []): AppAbility {
  const b = new AbilityBuilder<AppAbility>(createMongoAbility);
  // Separation of duties, whatever the data says: an account holding SYSADMIN gets no document role,
  // no delegated right and no rule granting document content (the services refuse to store them;
  // this holds for rows that predate that refusal or were written around it).
  const admin = viewer.roles.includes(Role.SYSADMIN);
  everyone(b, viewer);
  for (const role of admin ? [Role.SYSADMIN] : viewer.roles) BY_ROLE[role](b, viewer);
  if (!admin) for (const d of viewer.delegations ?? []) delegated(b, d);
  applyCustomRules(b, viewer, admin ? custom.filter((r) => r.inverted || !DOCUMENT_CONTENT_SUBJECTS.has(r.subject)) : custom);
  return b.build();
}

/**
 * Ủy quyền: signing delegated by a director covers the director's keeping unit; review delegated
 * by a head covers the head's department.
 */
function delegated(b: Builder, d: DelegatedRight) {
  if (d.right === 'SIGN') b.can(['read', 'sign', 'returnFromSignature'], 'OutgoingDocument', { keepingUnit: d.scopeUnitId });
  else b.can(['read', 'approve', 'returnFromReview'], 'OutgoingDocument', { draftingUnit: d.scopeUnitId });
}

/** An ability that allows nothing: for requests without a signed-in account. */
export function emptyAbility(): AppAbility {
  return createMongoAbility<AppAbility>([]);
}
