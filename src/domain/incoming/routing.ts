/**
 * The routing of an incoming document (Điều 9.1; NĐ 30/2020 Điều 20-24):
 *
 *   RECEIVED ─register▶ REGISTERED ─submit▶ SUBMITTED ─assign▶ ASSIGNED ─▶ IN_PROGRESS ─▶ COMPLETED
 *      └─reject▶ REJECTED                       ▲                 └── lead returns ──┘
 *
 * The clerk's and the director's steps move the document; after assignment, state is kept per
 * assignment and the document's state is derived from its assignments.
 */

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
}

/** The steps a document takes by itself (before assignments carry its state). */
export type DocumentStep = 'register' | 'reject' | 'submit' | 'assign' | 'recall' | 'annul';

export const DOCUMENT_TRANSITIONS: Readonly<Record<DocumentStep, { from: readonly IncomingState[]; to: IncomingState }>> = {
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
};

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
  const t = DOCUMENT_TRANSITIONS[step];
  return t.from.includes(from) ? t.to : null;
}

/** The steps an assignee takes on an assignment. */
export type AssignmentStep = 'start' | 'progress' | 'complete' | 'return' | 'delegate';

export const ASSIGNMENT_TRANSITIONS: Readonly<Record<AssignmentStep, { from: readonly AssignmentState[]; to: AssignmentState }>> = {
  start: { from: [AssignmentState.PENDING], to: AssignmentState.IN_PROGRESS },
  // Recording progress on a pending assignment starts it.
  progress: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.IN_PROGRESS },
  complete: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.COMPLETED },
  return: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.RETURNED },
  // Passing work on keeps the head's own assignment open, now in progress.
  delegate: { from: [AssignmentState.PENDING, AssignmentState.IN_PROGRESS], to: AssignmentState.IN_PROGRESS },
};

export function assignmentTransition(from: AssignmentState, step: AssignmentStep): AssignmentState | null {
  const t = ASSIGNMENT_TRANSITIONS[step];
  return t.from.includes(from) ? t.to : null;
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
}

/**
 * The document's state from its assignments, once assigned: COMPLETED when the director's lead is
 * completed; SUBMITTED (back to the director) when the lead was returned and no other lead is open;
 * IN_PROGRESS when any work has started; ASSIGNED otherwise.
 */
export function deriveDocumentState(assignments: readonly AssignmentFacts[]): IncomingState {
  const leads = assignments.filter((a) => a.topLevel && a.role === AssignmentRole.LEAD);
  if (leads.some((a) => a.state === AssignmentState.COMPLETED)) return IncomingState.COMPLETED;
  const openLead = leads.some((a) => a.state === AssignmentState.PENDING || a.state === AssignmentState.IN_PROGRESS);
  if (!openLead) return IncomingState.SUBMITTED;
  const working = assignments.some((a) => a.role !== AssignmentRole.INFORM && (a.state === AssignmentState.IN_PROGRESS || a.state === AssignmentState.COMPLETED));
  return working ? IncomingState.IN_PROGRESS : IncomingState.ASSIGNED;
}

/** A delegated deadline may not be later than the one received. */
export function deadlineProblem(received: string | null, given: string | null): string | null {
  if (received && !given) return `A deadline is required, no later than ${received}.`;
  if (received && given && given > received) return `The deadline must be no later than the one received (${received}).`;
  return null;
}
