import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subject } from '@casl/ability';
import { Account, Assignment, IncomingDocument, Unit } from '../../entities';
import type { Context } from '../context';
import { AccountStatus } from '../domain/accounts/account-rules';
import { METADATA_LIMITS, RoutingEventKind } from '../domain/documents/document-enums';
import {
  ASSIGNMENT_WORKFLOW,
  AssignmentRole,
  AssignmentState,
  IncomingState,
  OPEN_ASSIGNMENT_STATES,
  deadlineProblem,
  stepFitsRole,
  type AssignmentStep,
} from '../domain/incoming/routing';
import { accessibleWhere } from './membership-filter';
import { officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { requireViewer } from './guards';
import { recordEvent } from './history';
import { assignmentFor } from './assignment-work';
import { lock, rederive, resolveAssignee, type AssigneeInput } from './incoming.service';
import { date, text } from './input-checks';
import { lockAssigneeAccount } from './hand-over';

/**
 * Changes to assignments after they were made (Điều 9.1; issue #18 items 1 and 4):
 * - an informed reader (để biết) marks the document read;
 * - the director — or the head, for what the head passed on — withdraws an unfinished assignment
 *   (thu hồi phân công) or changes its deadline, instruction or assignee, always with the reason.
 * Each change moves the assignment by a legal step of the state machine, re-derives the document's
 * state and writes its routing event in the same transaction.
 */

const NOT_FOUND_ASSIGNMENT = () => new AppError(ErrorCode.NOT_FOUND, 'No assignment was found with this id, or you may not see it.');

function move(a: Assignment, s: AssignmentStep): void {
  a.state = ASSIGNMENT_WORKFLOW.step(a.state, s);
}

/** An informed reader marks the document read: the assignment is COMPLETED; a document for information only completes with its last reader. */
export async function markAssignmentRead(ctx: Context, assignmentId: string): Promise<Assignment> {
  return ctx.em.transactional(async (em) => {
    const { assignment, doc } = await assignmentFor(ctx, em, assignmentId, 'process');
    if (!stepFitsRole(assignment.role, 'read')) {
      throw new AppError(ErrorCode.INVALID_TRANSITION, 'Only an assignment for information (để biết) is marked read; complete this one with its result.', {
        from: assignment.state,
        step: 'read',
      });
    }
    move(assignment, 'read');
    assignment.completedAt = ctx.app.clock.now();
    await em.flush();
    const { from, to } = await rederive(em, doc);
    recordEvent(em, ctx, doc, RoutingEventKind.READ, from, to, null, assignment);
    return assignment;
  });
}

/**
 * An assignment the viewer may withdraw or change, locked with its document. The director of the
 * keeping unit may change any; a head only what was passed on from the department's assignment.
 * Unreadable is NOT_FOUND; readable but not the viewer's to change is FORBIDDEN.
 */
async function changeable(
  ctx: Context,
  em: EntityManager,
  assignmentId: string,
): Promise<{ assignment: Assignment; doc: IncomingDocument; parent: Assignment | null }> {
  requireViewer(ctx);
  const key = keyOf('Assignment', assignmentId, 'assignmentId');
  const peek = await em.findOne(Assignment, { id: key });
  if (!peek) throw NOT_FOUND_ASSIGNMENT();
  const readableWhere = { $and: [{ id: peek.document.id }, accessibleWhere(ctx.ability, 'read', 'IncomingDocument')] } as FilterQuery<IncomingDocument>;
  const readable = await em.count(IncomingDocument, readableWhere);
  if (!readable) throw NOT_FOUND_ASSIGNMENT();
  const doc = await lock(em, peek.document.id);
  if (doc.state === IncomingState.RECALLED) {
    throw new AppError(ErrorCode.INVALID_TRANSITION, 'The sender recalled this document: its assignments are closed.', { from: doc.state });
  }
  const assignment = await em.findOneOrFail(Assignment, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const parent = assignment.parent ? await em.findOneOrFail(Assignment, { id: assignment.parent.id }, { refresh: true }) : null;
  const director = ctx.ability.can('assign', subject('IncomingDocument', { keepingUnit: doc.keepingUnit.id }) as never);
  if (!director) {
    if (!parent) throw forbidden('Only the director withdraws or changes the director’s assignments.');
    const facts = { assignee: parent.assignee?.id ?? null, assigneeUnit: parent.assigneeUnit?.id ?? null, active: parent.active };
    if (!ctx.ability.can('delegate', subject('Assignment', facts) as never)) {
      throw forbidden('Only the director, or the head who passed this assignment on, withdraws or changes it.');
    }
  }
  return { assignment, doc, parent };
}

/** Takes an assignment back, and with it whatever was passed on from it and is still open; returns those. */
async function withdrawLocked(ctx: Context, em: EntityManager, a: Assignment, reason: string): Promise<Assignment[]> {
  move(a, 'withdraw');
  const now = ctx.app.clock.now();
  a.active = false;
  a.withdrawnAt = now;
  a.withdrawalReason = reason;
  const children = await em.find(
    Assignment,
    { parent: a.id, state: { $in: [...OPEN_ASSIGNMENT_STATES] } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  for (const c of children) {
    c.state = AssignmentState.WITHDRAWN;
    c.active = false;
    c.withdrawnAt = now;
    c.withdrawalReason = reason;
  }
  await em.flush();
  return children;
}

/** One ASSIGNMENT_WITHDRAWN event per assignment taken back with another: each holder is told. */
async function recordWithdrawnWith(ctx: Context, em: EntityManager, doc: IncomingDocument, children: Assignment[], reason: string): Promise<void> {
  for (const c of children) recordEvent(em, ctx, doc, RoutingEventKind.ASSIGNMENT_WITHDRAWN, doc.state, doc.state, `${await holderLabel(em, c)}: ${reason}`, c);
}

async function holderLabel(em: EntityManager, a: Assignment): Promise<string> {
  if (a.assignee) return (await em.findOneOrFail(Account, { id: a.assignee.id })).fullName;
  if (a.assigneeUnit) return (await em.findOneOrFail(Unit, { id: a.assigneeUnit.id })).shortName;
  return '';
}

/** Withdraws an unfinished assignment with the reason: WITHDRAWN; the assignee loses it (and is told live). */
export async function withdrawAssignment(ctx: Context, assignmentId: string, reason: string): Promise<Assignment> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  return ctx.em.transactional(async (em) => {
    const { assignment, doc } = await changeable(ctx, em, assignmentId);
    const children = await withdrawLocked(ctx, em, assignment, r);
    const { from, to } = await rederive(em, doc);
    recordEvent(em, ctx, doc, RoutingEventKind.ASSIGNMENT_WITHDRAWN, from, to, `${await holderLabel(em, assignment)}: ${r}`, assignment);
    await recordWithdrawnWith(ctx, em, doc, children, r);
    return assignment;
  });
}

export interface ChangeAssignmentInput {
  reason: string;
  deadline?: string | null;
  instruction?: string | null;
  /** Give it to someone else: a department or person of the keeping unit, or, for what a head passed on, a member of the department. */
  assignee?: AssigneeInput | null;
}

/** The new deadline, checked against the one received (when passed on) and those passed on from it. */
async function checkedDeadline(ctx: Context, em: EntityManager, a: Assignment, parent: Assignment | null, wanted: string | null): Promise<string | null> {
  if (!wanted) return a.deadline ?? null;
  if (a.role === AssignmentRole.INFORM) throw badInput('An assignment for information (để biết) has no deadline.', 'input.deadline');
  if (wanted < officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone)) throw badInput('input.deadline cannot be in the past.', 'input.deadline');
  const problem = deadlineProblem(parent?.deadline ?? null, wanted);
  if (problem) throw badInput(problem, 'input.deadline');
  const later = await em.count(Assignment, { parent: a.id, state: { $in: [...OPEN_ASSIGNMENT_STATES] }, deadline: { $gt: wanted } });
  if (later) throw badInput('What was passed on from this assignment is due later than this deadline: change that first.', 'input.deadline');
  return wanted;
}

/** The new holder: for the director's assignment as when directing; for one passed on, an active member of the department. */
async function newHolder(ctx: Context, em: EntityManager, doc: IncomingDocument, a: Assignment, parent: Assignment | null, who: AssigneeInput) {
  if (!parent) return resolveAssignee(ctx, em, who, 'input.assignee', doc.keepingUnit.id, false);
  if (!who.accountId || who.unitId) throw badInput('What a head passed on goes to a person: give input.assignee.accountId.', 'input.assignee');
  const account = await lockAssigneeAccount(em, keyOf('Account', who.accountId, 'input.assignee.accountId'));
  if (!account || account.status !== AccountStatus.ACTIVE) {
    throw new AppError(ErrorCode.NOT_FOUND, 'No active account was found with input.assignee.accountId.', { field: 'input.assignee.accountId' });
  }
  if (account.unit.id !== parent.assigneeUnit?.id) {
    throw badInput('input.assignee.accountId must be a member of the assigned department.', 'input.assignee.accountId');
  }
  return { unit: null, account, scopeUnit: account.unit.id, deadline: null, label: account.fullName };
}

/**
 * Changes an unfinished assignment: its deadline or instruction (the same assignment, ASSIGNMENT_CHANGED),
 * or its holder (the assignment is withdrawn and a new one made for the new holder, REASSIGNED).
 * Returns the assignment as it now stands (the new one after a reassignment).
 */
export async function changeAssignment(ctx: Context, assignmentId: string, input: ChangeAssignmentInput): Promise<Assignment> {
  const viewer = requireViewer(ctx);
  const r = text(input.reason, 'input.reason', METADATA_LIMITS.reason, true)!;
  const instruction = text(input.instruction, 'input.instruction', METADATA_LIMITS.instruction);
  const deadline = date(input.deadline, 'input.deadline');
  if (!instruction && !deadline && !input.assignee) throw badInput('Give what changes: input.deadline, input.instruction or input.assignee.', 'input');
  return ctx.em.transactional(async (em) => {
    const { assignment: a, doc, parent } = await changeable(ctx, em, assignmentId);
    if (!OPEN_ASSIGNMENT_STATES.includes(a.state)) {
      const message = `Cannot change an assignment that is ${a.state}: only a PENDING or IN_PROGRESS one changes.`;
      throw new AppError(ErrorCode.INVALID_TRANSITION, message, { from: a.state });
    }
    const newDeadline = await checkedDeadline(ctx, em, a, parent, deadline);
    if (!input.assignee) {
      const changes: string[] = [];
      if (deadline && deadline !== a.deadline) changes.push(`hạn ${a.deadline ?? '—'} → ${deadline}`);
      if (instruction && instruction !== a.instruction) changes.push(`ý kiến chỉ đạo: ${instruction}`);
      if (!changes.length) throw badInput('Nothing changes: the deadline and instruction given are the ones in force.', 'input');
      a.deadline = newDeadline;
      a.instruction = instruction ?? a.instruction;
      recordEvent(em, ctx, doc, RoutingEventKind.ASSIGNMENT_CHANGED, doc.state, doc.state, `${await holderLabel(em, a)}: ${changes.join('; ')} — ${r}`, a);
      return a;
    }
    const holder = await newHolder(ctx, em, doc, a, parent, input.assignee);
    if ((holder.account && holder.account.id === a.assignee?.id) || (holder.unit && holder.unit.id === a.assigneeUnit?.id)) {
      throw badInput('input.assignee already holds this assignment.', 'input.assignee');
    }
    const sameHolder = holder.account ? { assignee: holder.account.id } : { assigneeUnit: holder.unit!.id };
    const open = { $in: [...OPEN_ASSIGNMENT_STATES] };
    if (await em.count(Assignment, { document: doc.id, parent: parent?.id ?? null, active: true, state: open, ...sameHolder })) {
      throw new AppError(ErrorCode.ALREADY_EXISTS, `${holder.label} already holds an open assignment of this document.`, { field: 'input.assignee' });
    }
    const previous = await holderLabel(em, a);
    const children = await withdrawLocked(ctx, em, a, r);
    // The withdrawn one is dealt with: its replacement follows.
    a.returnHandled = true;
    const next = em.create(Assignment, {
      document: doc,
      role: a.role,
      assigneeUnit: holder.unit,
      assignee: holder.account,
      scopeUnit: holder.scopeUnit,
      assignedBy: viewer.accountId,
      instruction: instruction ?? a.instruction,
      deadline: newDeadline,
      state: AssignmentState.PENDING,
      parent,
      createdAt: ctx.app.clock.now(),
    });
    await em.flush();
    recordEvent(em, ctx, doc, RoutingEventKind.ASSIGNMENT_WITHDRAWN, doc.state, doc.state, `${previous}: ${r}`, a);
    await recordWithdrawnWith(ctx, em, doc, children, r);
    const { from, to } = await rederive(em, doc);
    const due = next.deadline ? `, hạn ${next.deadline}` : '';
    recordEvent(em, ctx, doc, RoutingEventKind.REASSIGNED, from, to, `${previous} → ${holder.label}${due} — ${r}`, next);
    return next;
  });
}
