import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Assignment, IncomingDocument } from '../../entities';
import type { TxContext } from '../transaction';
import { AccountStatus, Role } from '../domain/accounts/account-rules';
import { RoutingEventKind } from '../domain/documents/document-enums';
import { AssignmentState, IncomingState, OPEN_ASSIGNMENT_STATES } from '../domain/incoming/routing';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOf, toGlobalId } from '../graphql/global-id';
import { recordEvent } from './history';

/**
 * Hand-over (bàn giao) when an account is disabled or transferred (Điều 6.3): the backlog never
 * loses work because its owner left.
 *
 * The rule: an account that still holds open assignments — its own, as lead, cooperating or
 * informed, PENDING or IN_PROGRESS, on a document its sender has not recalled — is not disabled or
 * transferred unless `handOverTo` names an active account of the same unit (not the account itself,
 * not a SYSADMIN). Then every such assignment moves to that account in the same transaction, keeping
 * its state, deadline, instruction and progress notes, with a HANDED_OVER routing event on each
 * document. Without `handOverTo` the operation is refused with OPEN_ASSIGNMENTS, which lists the
 * assignments by id and count only: the administrator who asks reads no document (separation of duties).
 * Assignments to a department stay with the department (its head acts on them) and are not concerned.
 * Work returned to the account and still awaiting its direction (an assignment it gave that came back
 * RETURNED and is not yet handled: its RETURNED view) counts as held too, and moves the same way: the
 * successor becomes the one it was returned to.
 */

/**
 * The account about to be given an assignment, read under a share lock: a disabling or transfer that
 * runs at the same time either waits for the assignment (and hands it over) or commits first (and
 * the account is read disabled or moved, and refused). Null when there is none.
 */
export function lockAssigneeAccount(em: EntityManager, id: string): Promise<Account | null> {
  return em.findOne(Account, { id }, { lockMode: LockMode.PESSIMISTIC_READ, refresh: true });
}

/** At most this many ids are listed in an OPEN_ASSIGNMENTS refusal (the count is always exact). */
export const LISTED_OPEN_ASSIGNMENTS = 100;

const openWhere = (accountId: string) => ({
  assignee: accountId,
  active: true,
  state: { $in: [...OPEN_ASSIGNMENT_STATES] },
  document: { state: { $ne: IncomingState.RECALLED } },
});

/** Returned work awaiting the account's direction: assignments it gave that came back and are not handled yet. */
const awaitingWhere = (accountId: string) => ({
  assignedBy: accountId,
  state: AssignmentState.RETURNED,
  returnHandled: false,
  document: { state: { $ne: IncomingState.RECALLED } },
});

/** The work an account holds: its open assignments and the returned work awaiting its direction, oldest first. */
export function openAssignmentsOf(em: EntityManager, accountId: string, refresh = false): Promise<Assignment[]> {
  return em.find(Assignment, { $or: [openWhere(accountId), awaitingWhere(accountId)] }, { orderBy: { createdAt: 'asc', id: 'asc' }, refresh });
}

/** How many assignments an account holds: open in its own name, or returned to it and awaiting its direction. */
export function countOpenAssignments(em: EntityManager, accountId: string): Promise<number> {
  return em.count(Assignment, { $or: [openWhere(accountId), awaitingWhere(accountId)] });
}

/** The refusal that lists the open assignments by id (never a subject). */
export function openAssignmentsRefusal(operation: string, open: readonly Assignment[]): AppError {
  return new AppError(
    ErrorCode.OPEN_ASSIGNMENTS,
    `The account still holds ${open.length} open assignment(s): give handOverTo, an active account of the same unit, to ${operation} it and hand them over.`,
    {
      field: 'handOverTo',
      count: open.length,
      assignmentIds: open.slice(0, LISTED_OPEN_ASSIGNMENTS).map((a) => toGlobalId('Assignment', a.id)),
      documentIds: [...new Set(open.map((a) => a.document.id))].slice(0, LISTED_OPEN_ASSIGNMENTS).map((id) => toGlobalId('IncomingDocument', id)),
    },
  );
}

/** The account that takes over: active, of the same unit as `leaving` (before any transfer), holding no SYSADMIN role. */
export async function handOverTarget(em: EntityManager, leaving: Account, handOverTo: string): Promise<Account> {
  const target = await em.findOne(Account, { id: keyOf('Account', handOverTo, 'handOverTo') });
  if (!target) throw new AppError(ErrorCode.NOT_FOUND, 'No account was found with handOverTo.', { field: 'handOverTo' });
  if (target.id === leaving.id) throw badInput('handOverTo must be another account than the one leaving.', 'handOverTo');
  if (target.status !== AccountStatus.ACTIVE) throw badInput('handOverTo must be an active account.', 'handOverTo');
  if (target.unit.id !== leaving.unit.id) throw badInput('handOverTo must be an account of the same unit as the one leaving.', 'handOverTo');
  if (target.roles.includes(Role.SYSADMIN)) throw badInput('handOverTo cannot be a SYSADMIN: an administrator reads no document.', 'handOverTo');
  return target;
}

/**
 * In the caller's transaction: locks the account (no assignment can be given to it meanwhile), then
 * refuses with OPEN_ASSIGNMENTS when it holds open assignments and no target is given; otherwise moves
 * them to the target with a HANDED_OVER event each. Returns how many moved. The documents are locked
 * before the account, in a fixed order — the order in which giving an assignment takes them — so a
 * hand-over and an assignment made at the same time wait for each other instead of deadlocking.
 */
export async function handOverOpenAssignments(
  ctx: TxContext,
  leaving: Account,
  target: Account | null,
  operation: 'disable' | 'transfer',
  reason: string,
): Promise<number> {
  const { em } = ctx;
  const docs = new Map<string, IncomingDocument>();
  const lockDocuments = async (ids: string[]) => {
    for (const id of [...new Set(ids)].filter((d) => !docs.has(d)).sort()) {
      docs.set(id, await em.findOneOrFail(IncomingDocument, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }));
    }
  };
  await lockDocuments((await openAssignmentsOf(em, leaving.id)).map((a) => a.document.id));
  await em.findOneOrFail(Account, { id: leaving.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  // Read again under the locks: what the assignee finished meanwhile stays theirs; what was given meanwhile is counted.
  const read = () => openAssignmentsOf(em, leaving.id, true);
  let listed = await read();
  if (listed.length === 0) return 0;
  if (!target) throw openAssignmentsRefusal(operation, listed);
  const locked = docs.size;
  await lockDocuments(listed.map((a) => a.document.id));
  // A document first seen after the account was locked: read its assignments again under its lock too.
  if (docs.size > locked) listed = await read();
  let moved = 0;
  for (const [documentId, doc] of [...docs].sort(([a], [b]) => a.localeCompare(b))) {
    if (doc.state === IncomingState.RECALLED) continue;
    const open = listed.filter((a) => a.document.id === documentId);
    for (const a of open) {
      if (a.state === AssignmentState.RETURNED) a.assignedBy = target;
      else {
        a.assignee = target;
        a.scopeUnit = target.unit;
      }
      recordEvent(ctx, doc, RoutingEventKind.HANDED_OVER, doc.state, doc.state, `${leaving.fullName} → ${target.fullName} — ${reason}`, a);
      moved++;
    }
  }
  await em.flush();
  return moved;
}
