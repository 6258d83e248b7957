import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Account, WorkScheduleEntry, WorkScheduleEntryDocument, type WorkScheduleVersion } from '../../entities';
import type { TxContext } from '../transaction';
import { AccountStatus } from '../domain/accounts/account-rules';
import { LIMITS, LinkKind, entryProblem, type EntryFacts } from '../domain/schedule/schedule-rules';
import { isCalendarDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOf, keyOfAny } from '../graphql/global-id';
import { agencyIdOf, unitsOfAgency } from './agencies';
import { readableDocumentKeys } from '../repositories/documents';

/** One entry as the API receives it (ids are global ids). */
export interface EntryInput {
  /** An entry of the version being edited, to keep it the same entry in the change list. */
  id?: string | null;
  date: string;
  startTime: string;
  endTime?: string | null;
  place: string;
  chairId?: string | null;
  content: string;
  participantUnitIds?: string[] | null;
  participantAccountIds?: string[] | null;
  documents?: Array<{ documentId: string; kind?: LinkKind | null }> | null;
}

/**
 * Checks every entry and resolves its ids: the day within the week, times, text limits, participants
 * and the chair in the schedule's agency (active accounts), linked documents the drafter may read.
 * Nothing is written: the caller writes only when every entry passed.
 */
export async function checkEntries(
  ctx: TxContext,
  keepingUnitId: string,
  week: { monday: string; sunday: string },
  inputs: readonly EntryInput[],
  existing: readonly WorkScheduleEntry[],
): Promise<EntryFacts[]> {
  const { em } = ctx;
  if (inputs.length > LIMITS.entries) throw badInput(`A schedule holds at most ${LIMITS.entries} entries.`, 'entries');
  const agencyUnits = new Set(await unitsOfAgency(em, await agencyIdOf(em, keepingUnitId)));
  const byId = new Map(existing.map((e) => [e.id, e]));
  const usedKeys = new Set<string>();
  const out: EntryFacts[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const raw = inputs[i];
    const at = `entries[${i}]`;
    let key: string = randomUUID();
    if (raw.id) {
      const prior = byId.get(keyOf('WorkScheduleEntry', raw.id, `${at}.id`));
      if (!prior) throw badInput(`${at}.id is not an entry of this schedule's version being edited.`, `${at}.id`);
      if (usedKeys.has(prior.key)) throw badInput(`${at}.id names an entry given twice.`, `${at}.id`);
      key = prior.key;
    }
    usedKeys.add(key);
    if (!isCalendarDate(raw.date ?? '')) throw badInput(`${at}.date must be a calendar day written YYYY-MM-DD.`, `${at}.date`);
    const units = (raw.participantUnitIds ?? []).map((u, j) => keyOf('Unit', u, `${at}.participantUnitIds[${j}]`));
    const accounts = (raw.participantAccountIds ?? []).map((a, j) => keyOf('Account', a, `${at}.participantAccountIds[${j}]`));
    const chairId = raw.chairId ? keyOf('Account', raw.chairId, `${at}.chairId`) : null;
    const documents = (raw.documents ?? []).map((d, j) => {
      const kind = d.kind ?? LinkKind.OTHER;
      if (!Object.values(LinkKind).includes(kind))
        throw badInput(`${at}.documents[${j}].kind must be one of ${Object.values(LinkKind).join(', ')}.`, `${at}.documents[${j}].kind`);
      return { documentId: keyOfAny(['IncomingDocument', 'OutgoingDocument'] as const, d.documentId, `${at}.documents[${j}].documentId`).key, kind };
    });
    const facts: EntryFacts = {
      key,
      date: raw.date,
      startTime: raw.startTime ?? '',
      endTime: raw.endTime || null,
      place: (raw.place ?? '').trim(),
      chairId,
      content: (raw.content ?? '').trim(),
      participantUnitIds: units,
      participantAccountIds: accounts,
      documents,
    };
    const problem = entryProblem(facts, week);
    if (problem) throw badInput(`${at}.${problem.field} ${problem.message}`, `${at}.${problem.field}`);
    for (let j = 0; j < units.length; j++)
      if (!agencyUnits.has(units[j]))
        throw new AppError(ErrorCode.NOT_FOUND, `${at}.participantUnitIds[${j}] is not a unit of this agency.`, { field: `${at}.participantUnitIds[${j}]` });
    await checkAccounts(em, agencyUnits, [
      ...(chairId ? [{ id: chairId, field: `${at}.chairId` }] : []),
      ...accounts.map((id, j) => ({ id, field: `${at}.participantAccountIds[${j}]` })),
    ]);
    if (documents.length) {
      const ids = documents.map((d) => d.documentId);
      const readable = await readableDocumentKeys(ctx, ids, em);
      const j = ids.findIndex((id) => !readable.has(id));
      if (j >= 0)
        throw new AppError(ErrorCode.NOT_FOUND, `${at}.documents[${j}].documentId: no document was found with this id, or you may not see it.`, {
          field: `${at}.documents[${j}].documentId`,
        });
    }
    out.push(facts);
  }
  return out;
}

async function checkAccounts(em: EntityManager, agencyUnits: ReadonlySet<string>, wanted: Array<{ id: string; field: string }>): Promise<void> {
  if (!wanted.length) return;
  const found = new Map((await em.find(Account, { id: { $in: wanted.map((w) => w.id) } }, { fields: ['id', 'unit', 'status'] })).map((a) => [a.id, a]));
  for (const w of wanted) {
    const a = found.get(w.id);
    if (!a || !agencyUnits.has(a.unit.id)) throw new AppError(ErrorCode.NOT_FOUND, `${w.field} is not an account of this agency.`, { field: w.field });
    if (a.status !== AccountStatus.ACTIVE) throw badInput(`${w.field} names a disabled account.`, w.field);
  }
}

/** Replaces the entries of a version (being edited) with checked ones, in the caller's transaction. */
export async function writeEntries(em: EntityManager, version: WorkScheduleVersion, entries: readonly EntryFacts[]): Promise<void> {
  const old = await em.find(WorkScheduleEntry, { version: version.id }, { fields: ['id'] });
  if (old.length) {
    await em.nativeDelete(WorkScheduleEntryDocument, { entry: { $in: old.map((e) => e.id) } });
    await em.nativeDelete(WorkScheduleEntry, { version: version.id });
  }
  entries.forEach((e, position) => {
    const entry = em.create(WorkScheduleEntry, {
      version,
      key: e.key,
      position,
      date: e.date,
      startTime: e.startTime,
      endTime: e.endTime,
      place: e.place,
      chair: e.chairId,
      content: e.content,
      participantUnitIds: [...e.participantUnitIds],
      participantAccountIds: [...e.participantAccountIds],
    });
    for (const d of e.documents) em.create(WorkScheduleEntryDocument, { entry, document: d.documentId, kind: d.kind });
  });
}

/** The entries of a version as the rules see them (for copying into a revision and for the change list). */
export function toFacts(entries: readonly WorkScheduleEntry[], links: ReadonlyMap<string, readonly WorkScheduleEntryDocument[]>): EntryFacts[] {
  return entries.map((e) => ({
    key: e.key,
    date: e.date,
    startTime: e.startTime,
    endTime: e.endTime ?? null,
    place: e.place,
    chairId: e.chair?.id ?? null,
    content: e.content,
    participantUnitIds: e.participantUnitIds,
    participantAccountIds: e.participantAccountIds,
    documents: (links.get(e.id) ?? []).map((l) => ({ documentId: l.document.id, kind: l.kind as LinkKind })),
  }));
}
