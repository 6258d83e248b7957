import { UnitKind } from '../units/unit-rules';
import { AssignmentState, IncomingState } from './routing';

/** What the routing rule needs to know about a unit named in a direction. */
export interface RoutedUnitFacts {
  kind: UnitKind;
  parentId: string | null;
}

/**
 * Điều 7.1: the director routes a document to the departments of the unit that keeps it, or (for the
 * agency) to one of its subordinate units, which receives its own copy in its own register and routes it
 * on inside itself. Returns why `unit` cannot be named, or null.
 */
export function routedUnitProblem(unit: RoutedUnitFacts, keepingUnitId: string): string | null {
  if (unit.parentId !== keepingUnitId) return 'must be a department of the unit that keeps this document, or one of its subordinate units.';
  if (unit.kind === UnitKind.DEPARTMENT || unit.kind === UnitKind.SUBORDINATE) return null;
  return 'must be a department or a subordinate unit.';
}

/** Whether an assignment to this unit is carried out through a copy in the unit's own register. */
export function routesThroughCopy(unit: Pick<RoutedUnitFacts, 'kind'>): boolean {
  return unit.kind === UnitKind.SUBORDINATE;
}

/**
 * The state the agency's assignment to a subordinate unit follows from the unit's copy: work started on
 * the copy starts it, the copy's completion completes it, a copy the unit's clerk refused returns it to
 * the director. Null: nothing to follow (the copy waits, or the assignment is already closed).
 */
export function assignmentStateFromCopy(copy: IncomingState, assignment: AssignmentState): AssignmentState | null {
  if (assignment === AssignmentState.COMPLETED || assignment === AssignmentState.RETURNED) return null;
  if (copy === IncomingState.COMPLETED) return AssignmentState.COMPLETED;
  if (copy === IncomingState.REJECTED) return AssignmentState.RETURNED;
  if (copy === IncomingState.IN_PROGRESS && assignment === AssignmentState.PENDING) return AssignmentState.IN_PROGRESS;
  return null;
}
