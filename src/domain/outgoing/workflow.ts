/**
 * Issuing an outgoing document (Điều 9.2; NĐ 30/2020 Điều 10-19):
 *
 *   DRAFT ─submit▶ IN_REVIEW ─approve▶ AWAITING_SIGNATURE ─sign▶ SIGNED ─issue▶ ISSUED ─recall▶ RECALLED
 *     ▲               │                        │
 *     └── return with the reason (head from review, director from signature) ─┘
 *
 *   SIGNED ─number▶ NUMBERED ─issueNumbered▶ ISSUED
 *   NUMBERED | RECALLED ─annul (reason)▶ ANNULLED   (an ISSUED one is recalled first, then annulled)
 *
 * The clerk takes the number (cấp số) after signing so that the final scan shows it; a numbered
 * document keeps its number for good: it is issued, or annulled with a reason, never renumbered.
 */
import { StateMachine } from '../state-machine';

export enum OutgoingState {
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  AWAITING_SIGNATURE = 'AWAITING_SIGNATURE',
  SIGNED = 'SIGNED',
  NUMBERED = 'NUMBERED',
  ISSUED = 'ISSUED',
  RECALLED = 'RECALLED',
  ANNULLED = 'ANNULLED',
}

export type OutgoingStep =
  | 'revise'
  | 'submit'
  | 'approve'
  | 'returnFromReview'
  | 'returnFromSignature'
  | 'sign'
  | 'number'
  | 'issue'
  | 'issueNumbered'
  | 'recall'
  | 'annulNumbered'
  | 'annulRecalled';

export const OUTGOING_WORKFLOW = new StateMachine<OutgoingState, OutgoingStep>('document', {
  revise: { from: [OutgoingState.DRAFT], to: OutgoingState.DRAFT },
  submit: { from: [OutgoingState.DRAFT], to: OutgoingState.IN_REVIEW },
  approve: { from: [OutgoingState.IN_REVIEW], to: OutgoingState.AWAITING_SIGNATURE },
  returnFromReview: { from: [OutgoingState.IN_REVIEW], to: OutgoingState.DRAFT },
  returnFromSignature: { from: [OutgoingState.AWAITING_SIGNATURE], to: OutgoingState.DRAFT },
  sign: { from: [OutgoingState.AWAITING_SIGNATURE], to: OutgoingState.SIGNED },
  // Điều 9.2: the clerk issues only what was signed on the system.
  issue: { from: [OutgoingState.SIGNED], to: OutgoingState.ISSUED },
  number: { from: [OutgoingState.SIGNED], to: OutgoingState.NUMBERED },
  issueNumbered: { from: [OutgoingState.NUMBERED], to: OutgoingState.ISSUED },
  recall: { from: [OutgoingState.ISSUED], to: OutgoingState.RECALLED },
  // A number once taken is never given back: the register entry is annulled with a reason.
  annulNumbered: { from: [OutgoingState.NUMBERED], to: OutgoingState.ANNULLED },
  annulRecalled: { from: [OutgoingState.RECALLED], to: OutgoingState.ANNULLED },
});

/** The state after `step`, or null when the step is not legal from `from`. */
export function outgoingTransition(from: OutgoingState, step: OutgoingStep): OutgoingState | null {
  return OUTGOING_WORKFLOW.next(from, step);
}

/** The step by which a draft goes back to its drafter from where it stands, if any. */
export function returnStep(from: OutgoingState): OutgoingStep | null {
  if (from === OutgoingState.IN_REVIEW) return 'returnFromReview';
  if (from === OutgoingState.AWAITING_SIGNATURE) return 'returnFromSignature';
  return null;
}

/** The step that issues a document from where it stands (SIGNED takes its number on issue), if any. */
export function issueStep(from: OutgoingState): OutgoingStep | null {
  if (from === OutgoingState.SIGNED) return 'issue';
  if (from === OutgoingState.NUMBERED) return 'issueNumbered';
  return null;
}

/**
 * The steps that annul a numbered document's register entry from where it stands, or null: an
 * issued document goes through the recall first (its copies are withdrawn), then is annulled.
 */
export function annulSteps(from: OutgoingState): OutgoingStep[] | null {
  if (from === OutgoingState.NUMBERED) return ['annulNumbered'];
  if (from === OutgoingState.ISSUED) return ['recall', 'annulRecalled'];
  if (from === OutgoingState.RECALLED) return ['annulRecalled'];
  return null;
}
