/**
 * Issuing an outgoing document (Điều 9.2; NĐ 30/2020 Điều 10-19):
 *
 *   DRAFT ─submit▶ IN_REVIEW ─approve▶ AWAITING_SIGNATURE ─sign▶ SIGNED ─issue▶ ISSUED ─recall▶ RECALLED
 *     ▲               │                        │
 *     └── return with the reason (head from review, director from signature) ─┘
 */
import { StateMachine } from '../state-machine';

export enum OutgoingState {
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  AWAITING_SIGNATURE = 'AWAITING_SIGNATURE',
  SIGNED = 'SIGNED',
  ISSUED = 'ISSUED',
  RECALLED = 'RECALLED',
}

export type OutgoingStep = 'revise' | 'submit' | 'approve' | 'returnFromReview' | 'returnFromSignature' | 'sign' | 'issue' | 'recall';

export const OUTGOING_WORKFLOW = new StateMachine<OutgoingState, OutgoingStep>('document', {
  revise: { from: [OutgoingState.DRAFT], to: OutgoingState.DRAFT },
  submit: { from: [OutgoingState.DRAFT], to: OutgoingState.IN_REVIEW },
  approve: { from: [OutgoingState.IN_REVIEW], to: OutgoingState.AWAITING_SIGNATURE },
  returnFromReview: { from: [OutgoingState.IN_REVIEW], to: OutgoingState.DRAFT },
  returnFromSignature: { from: [OutgoingState.AWAITING_SIGNATURE], to: OutgoingState.DRAFT },
  sign: { from: [OutgoingState.AWAITING_SIGNATURE], to: OutgoingState.SIGNED },
  // Điều 9.2: the clerk issues only what was signed on the system.
  issue: { from: [OutgoingState.SIGNED], to: OutgoingState.ISSUED },
  recall: { from: [OutgoingState.ISSUED], to: OutgoingState.RECALLED },
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
