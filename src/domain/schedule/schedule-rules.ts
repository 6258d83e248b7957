/**
 * The weekly work schedule (lịch công tác tuần) of a keeping unit, one per ISO week. Each version goes
 *
 *   DRAFT ─submit▶ SUBMITTED ─approve▶ PUBLISHED ─(a later version is published)▶ SUPERSEDED
 *     ▲                │
 *     └─ RETURNED ◀────┘ return with the reason (the director); a returned version is edited and submitted again
 *
 * A change after publication is a new version (revise), drafted and approved the same way; while it
 * is in progress the published version stays in force.
 */

import { StateMachine } from '../state-machine';
export enum ScheduleState {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  PUBLISHED = 'PUBLISHED',
  SUPERSEDED = 'SUPERSEDED',
}

export type ScheduleStep = 'edit' | 'submit' | 'approve' | 'return' | 'revise';

export const SCHEDULE_WORKFLOW = new StateMachine<ScheduleState, ScheduleStep>('schedule version', {
  // Editing keeps the version's state.
  edit: { from: [ScheduleState.DRAFT, ScheduleState.RETURNED] },
  submit: { from: [ScheduleState.DRAFT, ScheduleState.RETURNED], to: ScheduleState.SUBMITTED },
  approve: { from: [ScheduleState.SUBMITTED], to: ScheduleState.PUBLISHED },
  return: { from: [ScheduleState.SUBMITTED], to: ScheduleState.RETURNED },
  // A revision opens a new version as a draft; the published one stays in force.
  revise: { from: [ScheduleState.PUBLISHED], to: ScheduleState.DRAFT },
});

/** The state after `step` from `from`, or null when the step is not allowed there. */
export function scheduleTransition(from: ScheduleState, step: ScheduleStep): ScheduleState | null {
  return SCHEDULE_WORKFLOW.next(from, step);
}

/** The states a step starts from (for the error message). */
export const stepStartsFrom = (step: ScheduleStep): readonly ScheduleState[] => SCHEDULE_WORKFLOW.transitions[step].from;

/** Whether a version is still being prepared (not yet in force, not replaced). */
export const inProgress = (s: ScheduleState) => s === ScheduleState.DRAFT || s === ScheduleState.SUBMITTED || s === ScheduleState.RETURNED;

/** Event types of the schedule stream. */
export enum ScheduleEventKind {
  SUBMITTED = 'SCHEDULE_SUBMITTED',
  RETURNED = 'SCHEDULE_RETURNED',
  /** The first version approved and published. */
  PUBLISHED = 'SCHEDULE_PUBLISHED',
  /** A later version approved and published: it replaces the one in force. */
  REVISED = 'SCHEDULE_REVISED',
}

export enum LinkKind {
  INVITATION = 'INVITATION',
  MEETING_MATERIAL = 'MEETING_MATERIAL',
  OTHER = 'OTHER',
}

export const LIMITS = {
  entries: 200,
  place: 200,
  content: 2000,
  participants: 100,
  documents: 20,
  reason: 1000,
} as const;

/** One entry as the rules see it: ids already resolved, texts already normalised. */
export interface EntryFacts {
  key: string;
  date: string;
  startTime: string;
  endTime: string | null;
  place: string;
  chairId: string | null;
  content: string;
  participantUnitIds: readonly string[];
  participantAccountIds: readonly string[];
  documents: ReadonlyArray<{ documentId: string; kind: LinkKind }>;
}

export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Why an entry's own fields are wrong (field name relative to the entry, message), or null. */
export function entryProblem(e: Omit<EntryFacts, 'key'>, week: { monday: string; sunday: string }): { field: string; message: string } | null {
  if (!(e.date >= week.monday && e.date <= week.sunday)) return { field: 'date', message: `must be a day of the week, from ${week.monday} to ${week.sunday}.` };
  if (!TIME_PATTERN.test(e.startTime)) return { field: 'startTime', message: 'must be a time of day written HH:MM (24 hours).' };
  if (e.endTime !== null) {
    if (!TIME_PATTERN.test(e.endTime)) return { field: 'endTime', message: 'must be a time of day written HH:MM (24 hours).' };
    if (e.endTime <= e.startTime) return { field: 'endTime', message: 'must be later than startTime.' };
  }
  if (!e.place.trim()) return { field: 'place', message: 'is required.' };
  if (e.place.length > LIMITS.place) return { field: 'place', message: `must be at most ${LIMITS.place} characters.` };
  if (!e.content.trim()) return { field: 'content', message: 'is required.' };
  if (e.content.length > LIMITS.content) return { field: 'content', message: `must be at most ${LIMITS.content} characters.` };
  if (e.participantUnitIds.length + e.participantAccountIds.length > LIMITS.participants)
    return { field: 'participants', message: `may name at most ${LIMITS.participants} units and accounts together.` };
  if (new Set(e.participantUnitIds).size !== e.participantUnitIds.length) return { field: 'participantUnitIds', message: 'names a unit twice.' };
  if (new Set(e.participantAccountIds).size !== e.participantAccountIds.length) return { field: 'participantAccountIds', message: 'names an account twice.' };
  if (e.documents.length > LIMITS.documents) return { field: 'documents', message: `may link at most ${LIMITS.documents} documents.` };
  if (new Set(e.documents.map((d) => d.documentId)).size !== e.documents.length) return { field: 'documents', message: 'links a document twice.' };
  return null;
}

/** Entries in the order of the week view: by day, then start time, then end time, then their place in the list. */
export function byDateAndTime<T extends { date: string; startTime: string; endTime?: string | null; position: number }>(a: T, b: T): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.startTime !== b.startTime) return a.startTime < b.startTime ? -1 : 1;
  const ae = a.endTime ?? '';
  const be = b.endTime ?? '';
  if (ae !== be) return ae < be ? -1 : 1;
  return a.position - b.position;
}

export enum ChangeKind {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
  CHANGED = 'CHANGED',
}

/** The fields an entry change can name. */
export type EntryField = 'date' | 'startTime' | 'endTime' | 'place' | 'chair' | 'content' | 'participants' | 'documents';

export interface EntryChange {
  kind: ChangeKind;
  key: string;
  fields: EntryField[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** What changed from one version's entries to the next's, matched by their stable key, in the order of `after` then removals. */
export function diffEntries(before: readonly EntryFacts[], after: readonly EntryFacts[]): EntryChange[] {
  const old = new Map(before.map((e) => [e.key, e]));
  const out: EntryChange[] = [];
  for (const e of after) {
    const p = old.get(e.key);
    if (!p) {
      out.push({ kind: ChangeKind.ADDED, key: e.key, fields: [] });
      continue;
    }
    const fields: EntryField[] = [];
    if (p.date !== e.date) fields.push('date');
    if (p.startTime !== e.startTime) fields.push('startTime');
    if (p.endTime !== e.endTime) fields.push('endTime');
    if (p.place !== e.place) fields.push('place');
    if (p.chairId !== e.chairId) fields.push('chair');
    if (p.content !== e.content) fields.push('content');
    if (
      !sameSet(
        [...p.participantUnitIds.map((u) => `u:${u}`), ...p.participantAccountIds.map((a) => `a:${a}`)],
        [...e.participantUnitIds.map((u) => `u:${u}`), ...e.participantAccountIds.map((a) => `a:${a}`)],
      )
    )
      fields.push('participants');
    if (
      !sameSet(
        p.documents.map((d) => `${d.kind}:${d.documentId}`),
        e.documents.map((d) => `${d.kind}:${d.documentId}`),
      )
    )
      fields.push('documents');
    if (fields.length) out.push({ kind: ChangeKind.CHANGED, key: e.key, fields });
  }
  const kept = new Set(after.map((e) => e.key));
  for (const p of before) if (!kept.has(p.key)) out.push({ kind: ChangeKind.REMOVED, key: p.key, fields: [] });
  return out;
}

/**
 * Whether a viewer takes part in an entry: named, or a member of a named unit (a named keeping unit
 * takes in its departments). The viewer is given by account, unit and keeping unit.
 */
export function isParticipant(
  v: { accountId: string; unitId: string; keepingUnitId: string },
  facts: { participantAccounts: readonly string[]; participantUnits: readonly string[] },
): boolean {
  return facts.participantAccounts.includes(v.accountId) || facts.participantUnits.includes(v.unitId) || facts.participantUnits.includes(v.keepingUnitId);
}
