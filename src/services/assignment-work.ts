/**
 * The assignees' side of an incoming document's routing: acting on one's assignment (start, progress,
 * complete, return) and a head passing the department's assignment on, each step written with its
 * routing event and the document's derived state in one transaction.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subject } from '@casl/ability';
import { Assignment, AssignmentProgress, IncomingDocument } from '../../entities';
import type { Context } from '../context';
import { AccountStatus } from '../domain/accounts/account-rules';
import { METADATA_LIMITS, RoutingEventKind } from '../domain/documents/document-enums';
import {
  ASSIGNMENT_WORKFLOW,
  AssignmentState,
  IncomingState,
  canDelegateRole,
  deadlineProblem,
  stepFitsRole,
  type AssignmentStep,
} from '../domain/incoming/routing';
import { accessibleWhere } from './membership-filter';
import { officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, annulled, badInput, forbidden } from '../errors';
import { keyOf, keyOfAny } from '../graphql/global-id';
import { requireViewer } from './guards';
import { text, date } from './input-checks';
import { recordEvent } from './history';
import { readableOutgoingOrNull } from './outgoing-access';
import { lockAssigneeAccount } from './hand-over';
import { followUnitCopy } from './centre-routing';

import { lock, readableOrNull, rederive } from './incoming.service';

const NOT_FOUND_ASSIGNMENT = () => new AppError(ErrorCode.NOT_FOUND, 'No assignment was found with this id, or you may not see it.');

/** An assignment the viewer may act on with `action`, locked with its document. */
export async function assignmentFor(
  ctx: Context,
  em: EntityManager,
  assignmentId: string,
  action: 'process' | 'delegate',
): Promise<{ assignment: Assignment; doc: IncomingDocument }> {
  requireViewer(ctx);
  const key = keyOf('Assignment', assignmentId, 'assignmentId');
  const peek = await em.findOne(Assignment, { id: key });
  if (!peek) throw NOT_FOUND_ASSIGNMENT();
  const readable = await em.count(IncomingDocument, { $and: [{ id: peek.document.id }, accessibleWhere(ctx.ability, 'read', 'IncomingDocument')] });
  if (!readable) throw NOT_FOUND_ASSIGNMENT();
  const doc = await lock(em, peek.document.id);
  if (doc.state === IncomingState.RECALLED)
    throw new AppError(ErrorCode.INVALID_TRANSITION, 'The sender recalled this document: its assignments are closed.', { from: doc.state });
  if (doc.state === IncomingState.ANNULLED) throw annulled();
  const assignment = await em.findOneOrFail(Assignment, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const asSubject = subject('Assignment', {
    assignee: assignment.assignee?.id ?? null,
    assigneeUnit: assignment.assigneeUnit?.id ?? null,
    active: assignment.active,
  });
  if (!ctx.ability.can(action, asSubject as never)) throw forbidden('Only the assignee (or the head of the assigned department) acts on this assignment.');
  return { assignment, doc };
}

function assignmentStep(a: Assignment, s: AssignmentStep): void {
  if (!stepFitsRole(a.role, s)) throw ASSIGNMENT_WORKFLOW.refusal(a.state, s, 'An assignment for information (để biết) needs no processing: mark it read.');
  a.state = ASSIGNMENT_WORKFLOW.step(a.state, s);
}

/** A head passes the department's assignment to one of its staff, with a deadline no later than the one received. */
export async function delegateAssignment(
  ctx: Context,
  assignmentId: string,
  input: { accountId: string; deadline?: string | null; instruction?: string | null },
): Promise<Assignment> {
  const viewer = requireViewer(ctx);
  const instruction = text(input.instruction, 'input.instruction', METADATA_LIMITS.instruction);
  const deadline = date(input.deadline, 'input.deadline');
  return ctx.em.transactional(async (em) => {
    const { assignment: parent, doc } = await assignmentFor(ctx, em, assignmentId, 'delegate');
    if (!canDelegateRole(parent.role)) throw ASSIGNMENT_WORKFLOW.refusal(parent.state, 'delegate', 'An assignment for information (để biết) is not passed on.');
    const problem = deadlineProblem(parent.deadline ?? null, deadline);
    if (problem) throw badInput(problem, 'input.deadline');
    if (deadline && deadline < officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone))
      throw badInput('input.deadline cannot be in the past.', 'input.deadline');
    const account = await lockAssigneeAccount(em, keyOf('Account', input.accountId, 'input.accountId'));
    if (!account || account.status !== AccountStatus.ACTIVE)
      throw new AppError(ErrorCode.NOT_FOUND, 'No active account was found with input.accountId.', { field: 'input.accountId' });
    if (account.unit.id !== parent.assigneeUnit?.id) throw badInput('input.accountId must be a member of the assigned department.', 'input.accountId');
    if (
      await em.count(Assignment, {
        parent: parent.id,
        assignee: account.id,
        active: true,
        state: { $in: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS] },
      })
    ) {
      throw new AppError(ErrorCode.ALREADY_EXISTS, 'This person already holds this assignment.');
    }
    assignmentStep(parent, 'delegate');
    parent.startedAt ??= ctx.app.clock.now();
    await em.nativeUpdate(Assignment, { parent: parent.id, state: AssignmentState.RETURNED }, { returnHandled: true });
    const child = em.create(Assignment, {
      document: doc,
      role: parent.role,
      assigneeUnit: null,
      assignee: account,
      scopeUnit: account.unit.id,
      assignedBy: viewer.accountId,
      instruction: instruction ?? parent.instruction,
      deadline: deadline ?? parent.deadline ?? null,
      state: AssignmentState.PENDING,
      parent,
      createdAt: ctx.app.clock.now(),
    });
    await em.flush();
    const { from, to } = await rederive(em, doc);
    recordEvent(
      em,
      ctx,
      doc,
      RoutingEventKind.DELEGATED,
      from,
      to,
      `${account.fullName}${child.deadline ? `, hạn ${child.deadline}` : ''}${instruction ? ` — ${instruction}` : ''}`,
      child,
    );
    if (from !== to) await followUnitCopy(ctx, em, doc, null);
    return child;
  });
}

async function onAssignment(
  ctx: Context,
  assignmentId: string,
  s: AssignmentStep,
  eventType: RoutingEventKind,
  apply: (em: EntityManager, a: Assignment) => Promise<string | null> | string | null,
): Promise<Assignment> {
  return ctx.em.transactional(async (em) => {
    const { assignment, doc } = await assignmentFor(ctx, em, assignmentId, 'process');
    assignmentStep(assignment, s);
    const note = await apply(em, assignment);
    await em.flush();
    const { from, to } = await rederive(em, doc);
    recordEvent(em, ctx, doc, eventType, from, to, note, assignment);
    if (from !== to) await followUnitCopy(ctx, em, doc, note);
    return assignment;
  });
}

/** The assignee starts work: IN_PROGRESS. */
export function startAssignment(ctx: Context, assignmentId: string): Promise<Assignment> {
  return onAssignment(ctx, assignmentId, 'start', RoutingEventKind.STARTED, (_em, a) => {
    a.startedAt = ctx.app.clock.now();
    return null;
  });
}

/** The assignee records progress (it starts the assignment if needed). */
export function recordProgress(ctx: Context, assignmentId: string, note: string): Promise<Assignment> {
  const n = text(note, 'note', METADATA_LIMITS.progressNote, true)!;
  return onAssignment(ctx, assignmentId, 'progress', RoutingEventKind.PROGRESS, (em, a) => {
    a.startedAt ??= ctx.app.clock.now();
    em.create(AssignmentProgress, { assignment: a, author: ctx.viewer!.accountId, note: n, at: ctx.app.clock.now() });
    return n;
  });
}

/** The assignee completes: the lead's completion completes the document; a delegated one completes its head's too. */
export function completeAssignment(ctx: Context, assignmentId: string, input: { result: string; replyDocumentId?: string | null }): Promise<Assignment> {
  const result = text(input.result, 'input.result', METADATA_LIMITS.result, true)!;
  return onAssignment(ctx, assignmentId, 'complete', RoutingEventKind.COMPLETED, async (em, a) => {
    const now = ctx.app.clock.now();
    if (input.replyDocumentId) {
      const ref = keyOfAny(['OutgoingDocument', 'IncomingDocument'] as const, input.replyDocumentId, 'input.replyDocumentId');
      const reply = ref.type === 'OutgoingDocument' ? await readableOutgoingOrNull(ctx, ref.key) : await readableOrNull(ctx, ref.key);
      if (!reply)
        throw new AppError(ErrorCode.NOT_FOUND, 'No document was found with input.replyDocumentId, or you may not see it.', { field: 'input.replyDocumentId' });
      a.replyDocument = reply;
    }
    a.result = result;
    a.completedAt = now;
    a.startedAt ??= now;
    // The work of a delegated assignment is the department's: its head's assignment completes with it.
    for (
      let p = a.parent ? await em.findOne(Assignment, { id: a.parent.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      p;
      p = p.parent ? await em.findOne(Assignment, { id: p.parent.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null
    ) {
      if (p.state === AssignmentState.COMPLETED || p.state === AssignmentState.RETURNED) break;
      p.state = AssignmentState.COMPLETED;
      p.result = result;
      p.completedAt = now;
    }
    return result;
  });
}

/** The assignee gives the assignment back to whoever assigned it, with the reason. */
export function returnAssignment(ctx: Context, assignmentId: string, reason: string): Promise<Assignment> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  return onAssignment(ctx, assignmentId, 'return', RoutingEventKind.RETURNED, async (em, a) => {
    a.active = false;
    a.returnReason = r;
    // Whatever was passed on from it goes back with it.
    await em.nativeUpdate(
      Assignment,
      { parent: a.id, state: { $in: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS] } },
      { state: AssignmentState.RETURNED, active: false, returnReason: r, returnHandled: true },
    );
    return r;
  });
}
