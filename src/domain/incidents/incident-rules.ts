/**
 * Incidents (sự cố, Điều 10.4 and 8.5): a fault met in using the system, reported at once by whoever
 * met it to the network administrator, who works it (with the provincial ICT department) and closes it.
 */

import { StateMachine } from '../state-machine';
export enum IncidentState {
  REPORTED = 'REPORTED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSED = 'CLOSED',
}

/** The administrator's steps on an incident. */
export enum IncidentStep {
  /** Takes it up or adds a note of what was done (it stays IN_PROGRESS). */
  WORK = 'WORK',
  /** Closes it with the resolution. */
  CLOSE = 'CLOSE',
}

/** What each step does: the states it starts from and the state it leads to. */
export const INCIDENT_WORKFLOW = new StateMachine<IncidentState, IncidentStep>('incident', {
  [IncidentStep.WORK]: { from: [IncidentState.REPORTED, IncidentState.IN_PROGRESS], to: IncidentState.IN_PROGRESS },
  [IncidentStep.CLOSE]: { from: [IncidentState.REPORTED, IncidentState.IN_PROGRESS], to: IncidentState.CLOSED },
});

/** The state a step leads to from `from`, or null when the step is not allowed there. */
export function incidentTransition(from: IncidentState, step: IncidentStep): IncidentState | null {
  return INCIDENT_WORKFLOW.next(from, step);
}

/** Lengths of an incident's texts. */
export const INCIDENT_LIMITS = { summary: 300, details: 4000, screen: 200, note: 4000 } as const;

/** Why an incident's time of occurrence is not acceptable, or null: not after it is reported, not years back. */
export function occurredAtProblem(occurredAt: Date, now: Date): string | null {
  if (Number.isNaN(occurredAt.getTime())) return 'input.occurredAt is not a valid time.';
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) return 'input.occurredAt cannot be in the future.';
  if (occurredAt.getTime() < now.getTime() - 366 * 24 * 3_600_000) return 'input.occurredAt is more than a year ago: report what happens now.';
  return null;
}
