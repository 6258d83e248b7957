/**
 * The routing of an incoming document (Điều 9.1; NĐ 30/2020 Điều 20-24):
 *
 *   RECEIVED ─register▶ REGISTERED ─submit▶ SUBMITTED ─assign▶ ASSIGNED ─▶ IN_PROGRESS ─▶ COMPLETED
 *      └─reject▶ REJECTED                       ▲                 └── lead returns ──┘
 *
 * The clerk's and the director's steps move the document; after assignment, state is kept per
 * assignment and the document's state is derived from its assignments. An assignment for
 * information (để biết) is only read (PENDING → COMPLETED); any open assignment may be withdrawn
 * (→ WITHDRAWN) by whoever may change it (services/assignment-changes.ts).
 */

import { StateMachine } from '../state-machine';

export enum IncomingState {
  RECEIVED = 'RECEIVED',
  REJECTED = 'REJECTED',
  REGISTERED = 'REGISTERED',
  SUBMITTED = 'SUBMITTED',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  RECALLED = 'RECALLED',
  /** A registration made in error (a duplicate, a wrong document): its arrival number stays used, shown annulled. */
  ANNULLED = 'ANNULLED',
}

export enum AssignmentRole {
  LEAD = 'LEAD',
  COOPERATE = 'COOPERATE',
  INFORM = 'INFORM',
}

export enum AssignmentState {
  PENDING = 'PENDING',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  RETURNED = 'RETURNED',
  /** Taken back by whoever assigned it (or the director), with the reason: no longer the assignee's work. */
  WITHDRAWN = 'WITHDRAWN',
}

/** The states in which an assignment is still someone's work (or, for information, still unread). */
export const OPEN_ASSIGNMENT_STATES: readonly AssignmentState[] = [AssignmentState.PENDING, AssignmentState.IN_PROGRESS];

/** The steps a document takes by itself (before assignments carry its state). */
export type DocumentStep = 'register' | 'reject' | 'submit' | 'assign' | 'recall' | 'annul';

export const DOCUMENT_WORKFLOW = new StateMachine<IncomingState, DocumentStep>('document', {
  register: { from: [IncomingState.RECEIVED], to: IncomingState.REGISTERED },
  reject: { from: [IncomingState.RECEIVED], to: IncomingState.REJECTED },
  submit: { from: [IncomingState.REGISTERED], to: IncomingState.SUBMITTED },
  assign: { from: [IncomingState.SUBMITTED], to: IncomingState.ASSIGNED },
  // The sender's recall reaches a copy whatever state it is in (only a copy already recalled stays as it is).
  recall: {
    from: [
      IncomingState.RECEIVED,
      IncomingState.REJECTED,
      IncomingState.REGISTERED,
      IncomingState.SUBMITTED,
      IncomingState.ASSIGNED,
      IncomingState.IN_PROGRESS,
      IncomingState.COMPLETED,
    ],
    to: IncomingState.RECALLED,
  },
  // A registration made in error is annulled whatever came after it; the number stays used.
  annul: {
    from: [IncomingState.REGISTERED, IncomingState.SUBMITTED, IncomingState.ASSIGNED, IncomingState.IN_PROGRESS, IncomingState.COMPLETED],
    to: IncomingState.ANNULLED,
  },
});

/** States whose metadata the clerk may still correct: not refused, recalled or annulled. */
export const CORRECTABLE_STATES: readonly IncomingState[] = [
  IncomingState.RECEIVED,
  IncomingState.REGISTERED,
  IncomingState.SUBMITTED,
  IncomingState.ASSIGNED,
  IncomingState.IN_PROGRESS,
  IncomingState.COMPLETED,
];

/** The state after `step`, or null when the step is not legal from `from`. */
export function documentTransition(from: IncomingState, step: DocumentStep): IncomingState | null {
  return DOCUMENT_WORKFLOW.next(from, step);
}

/** The steps an assignee takes on an assignment. */
export type AssignmentStep = 'start' | 'progress' | 'complete' | 'return' | 'delegate' | 'read' | 'withdraw';

export const ASSIGNMENT_WORKFLOW = new StateMachine<AssignmentState, AssignmentStep>('assignment', {
  start: { from: [AssignmentState.PENDING], to: AssignmentState.IN_PROGRESS },
  // Recording progress on a pending assignment starts it.
  progress: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.IN_PROGRESS },
  complete: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.COMPLETED },
  return: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.RETURNED },
  // Passing work on keeps the head's own assignment open, now in progress.
  delegate: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.IN_PROGRESS },
  // An informed reader (để biết) marks the document read: that is all the work there is.
  read: { from: [AssignmentState.PENDING], to: AssignmentState.COMPLETED },
  // Whoever assigned it (or the director) takes back what is not finished.
  withdraw: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.WITHDRAWN },
});

/** Which steps each role takes: an assignment for information is only read (or withdrawn). */
export function stepFitsRole(role: AssignmentRole, step: AssignmentStep): boolean {
  if (step === 'withdraw') return true;
  return role === AssignmentRole.INFORM ? step === 'read' : step !== 'read';
}

export function assignmentTransition(from: AssignmentState, step: AssignmentStep): AssignmentState | null {
  return ASSIGNMENT_WORKFLOW.next(from, step);
}

/** Which roles may be delegated: passing on "for information" makes no work. */
export function canDelegateRole(role: AssignmentRole): boolean {
  return role !== AssignmentRole.INFORM;
}

export interface AssignmentFacts {
  role: AssignmentRole;
  state: AssignmentState;
  /** True for the director's own assignments, false for those a head delegated. */
  topLevel: boolean;
  /** A returned or withdrawn assignment the director has since dealt with (directed again). */
  handled?: boolean;
}

const isOpen = (s: AssignmentState) => s === AssignmentState.PENDING || s === AssignmentState.IN_PROGRESS;

/**
 * The document's state from its assignments, once assigned:
 * - with a lead: COMPLETED when the director's lead is completed; SUBMITTED (back to the director)
 *   when no lead is open and one was returned or withdrawn and not directed again; IN_PROGRESS when
 *   any work has started; ASSIGNED otherwise;
 * - for information only (no lead, Điều 7.1 "để biết"): COMPLETED once every reader still named has
 *   marked it read, IN_PROGRESS once some have, ASSIGNED before; SUBMITTED when none is left.
 */
export function deriveDocumentState(assignments: readonly AssignmentFacts[]): IncomingState {
  const top = assignments.filter((a) => a.topLevel);
  const leads = top.filter((a) => a.role === AssignmentRole.LEAD);
  if (leads.some((a) => a.state === AssignmentState.COMPLETED)) return IncomingState.COMPLETED;
  const openLead = leads.some((a) => isOpen(a.state));
  if (openLead) {
    const working = assignments.some(
      (a) => a.role !== AssignmentRole.INFORM && (a.state === AssignmentState.IN_PROGRESS || a.state === AssignmentState.COMPLETED),
    );
    return working ? IncomingState.IN_PROGRESS : IncomingState.ASSIGNED;
  }
  const leadAwaitingDirection = leads.some((a) => (a.state === AssignmentState.RETURNED || a.state === AssignmentState.WITHDRAWN) && !a.handled);
  if (leadAwaitingDirection) return IncomingState.SUBMITTED;
  // For information only: the readers still named.
  const readers = top.filter((a) => a.role === AssignmentRole.INFORM && (isOpen(a.state) || a.state === AssignmentState.COMPLETED));
  if (readers.length === 0) return IncomingState.SUBMITTED;
  if (readers.every((a) => a.state === AssignmentState.COMPLETED)) return IncomingState.COMPLETED;
  return readers.some((a) => a.state === AssignmentState.COMPLETED) ? IncomingState.IN_PROGRESS : IncomingState.ASSIGNED;
}

/** A delegated deadline may not be later than the one received. */
export function deadlineProblem(received: string | null, given: string | null): string | null {
  if (received && !given) return `A deadline is required, no later than ${received}.`;
  if (received && given && given > received) return `The deadline must be no later than the one received (${received}).`;
  return null;
}
