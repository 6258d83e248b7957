import type { FilterQuery } from '@mikro-orm/core';
import type { Action } from '../domain/permissions/ability';
import { Document, IncomingDocument, Register, RoutingEvent } from '../../entities';
import type { Context } from '../context';
import { Role } from '../domain/accounts/account-rules';
import { Direction, Urgency } from '../domain/documents/document-enums';
import { AssignmentRole, AssignmentState, IncomingState } from '../domain/incoming/routing';
import { OutgoingState } from '../domain/outgoing/workflow';
import { noRows } from '../domain/permissions/to-filter';
import { documentsFor, findReadableDocument, readableDocuments, readableDocumentsWhere } from '../repositories/documents';
import { readableDuplicatesOf } from '../repositories/incoming-documents';
import { membershipAsExists } from '../repositories/membership-filter';
import { isCalendarDate, officeYear } from '../domain/time/office-time';
import type { DeadlineBounds } from '../domain/time/working-calendar';
import { deadlineBoundsToday, workingCalendar } from './working-calendar';
import { badInput } from '../errors';
import { keyOf, keyOfAny } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { requireViewer } from './guards';
import { indexedTsquery, searchPage, searchWords } from './document-search';
import type { GraphQLResolveInfo } from 'graphql';
import type { Compiled } from '../read/compiled';
import { NotAnsweredInSql, type RawJson, wantsRaw } from '../read/raw';
import { compiledCounts, rawCounts } from '../read/count-reads';
import { compiledDocument, compiledDocumentPage, rawDocument, rawDocumentPage } from '../read/document-reads';

/** The inbox views people expect (API.md). The outgoing ones arrive with outgoing documents. */
export enum InboxView {
  TO_REGISTER = 'TO_REGISTER',
  TO_SUBMIT = 'TO_SUBMIT',
  AWAITING_DIRECTION = 'AWAITING_DIRECTION',
  TO_PROCESS = 'TO_PROCESS',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
  RETURNED = 'RETURNED',
  FOR_INFORMATION = 'FOR_INFORMATION',
  DRAFTS = 'DRAFTS',
  TO_REVIEW = 'TO_REVIEW',
  TO_SIGN = 'TO_SIGN',
  TO_ISSUE = 'TO_ISSUE',
}

export enum DocumentOrder {
  NEWEST_FIRST = 'NEWEST_FIRST',
  OLDEST_FIRST = 'OLDEST_FIRST',
}

export interface DocumentFilter {
  direction?: Direction | null;
  states?: string[] | null;
  text?: string | null;
  urgency?: Urgency[] | null;
  receivedFrom?: string | null;
  receivedTo?: string | null;
  senderId?: string | null;
  keepingUnitId?: string | null;
  registerYear?: number | null;
}

type Where = FilterQuery<Document>;

/** Every list, count and lookup of documents starts from this: the rows the viewer may read, in either direction. */
export function readableWhere(ctx: Context): Where {
  return readableDocuments(ctx);
}

export { searchTokens } from './document-search';

function filterWhere(ctx: Context, f: DocumentFilter | null | undefined): Where[] {
  const w: Where[] = [];
  if (!f) return w;
  if (f.direction) w.push({ direction: f.direction });
  if (f.states?.length) w.push({ state: { $in: f.states } });
  if (f.urgency?.length) w.push({ urgency: { $in: f.urgency } });
  const tz = ctx.app.config.officeTimeZone;
  for (const [field, op] of [
    ['receivedFrom', '$gte'],
    ['receivedTo', '$lte'],
  ] as const) {
    const v = f[field];
    if (!v) continue;
    if (!isCalendarDate(v)) throw badInput(`filter.${field} must be a calendar day written YYYY-MM-DD.`, `filter.${field}`);
    // Compared as office days: from the start of the first to the end of the last.
    // Received for incoming documents, created for outgoing ones.
    w.push({ createdAt: { [op]: new Date(`${v}T${op === '$gte' ? '00:00:00' : '23:59:59.999'}${offsetOf(tz, v)}`) } });
  }
  if (f.senderId) {
    const s = keyOfAny(['Correspondent', 'Unit'] as const, f.senderId, 'filter.senderId');
    w.push((s.type === 'Correspondent' ? { senderCorrespondent: s.key } : { senderUnit: s.key }) as unknown as Where);
  }
  if (f.keepingUnitId) w.push({ keepingUnit: keyOf('Unit', f.keepingUnitId, 'filter.keepingUnitId') });
  if (f.registerYear !== null && f.registerYear !== undefined) {
    if (!Number.isInteger(f.registerYear) || f.registerYear < 1900 || f.registerYear > 9999)
      throw badInput('filter.registerYear must be a year such as 2026.', 'filter.registerYear');
    w.push({ register: { year: f.registerYear } });
  }
  return w;
}

/** The UTC offset of the office zone on a day, as `+07:00`. */
function offsetOf(timeZone: string, day: string): string {
  const noon = new Date(`${day}T12:00:00Z`);
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(noon).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/** Documents the viewer may read, filtered, newest first unless asked otherwise. */
export async function listDocuments(
  ctx: Context,
  filter: DocumentFilter | null | undefined,
  first?: number | null,
  after?: string | null,
  order?: DocumentOrder | null,
  info?: GraphQLResolveInfo,
): Promise<Page<Document | Compiled> | RawJson> {
  requireViewer(ctx);
  // A function: the ORM rewrites filters in place, so each rendering gets its own.
  const where = (): Where => ({ $and: [readableWhere(ctx), ...filterWhere(ctx, filter)] });
  // Every word must appear, ignoring case and diacritics (the word-suffix index serves a rare one: document-search.ts).
  const words = searchWords(filter?.text);
  if (words.length) {
    if (wantsRaw(info)) throw new NotAnsweredInSql('a text search');
    const tsquery = await indexedTsquery(ctx, words);
    return searchPage(ctx, where, words, tsquery, first, after, info);
  }
  const direction = order === DocumentOrder.OLDEST_FIRST ? 'asc' : 'desc';
  if (wantsRaw(info)) return rawDocumentPage(ctx, info, where, direction, first, after, ['documents', filter]);
  const compiled = info && (await compiledDocumentPage(ctx, info, where, direction, first, after));
  return compiled || paginate(ctx.em, Document, where(), { key: 'createdAt', first, after, direction });
}

const OPEN = [AssignmentState.PENDING, AssignmentState.IN_PROGRESS];

/** Assignments the viewer holds: their own, and their department's when they head it. */
function mine(ctx: Context): Record<string, unknown> {
  const v = ctx.viewer!;
  const who: Record<string, unknown>[] = [{ assignee: v.accountId }];
  if (v.roles.includes(Role.HEAD)) who.push({ assigneeUnit: v.unitId });
  return { $or: who, active: true };
}

/** Internal notices, invitations and schedules issued to the viewer's department (for information). */
function internalNoticesWhere(ctx: Context): Where {
  const dept = ctx.viewer!.departmentId;
  if (!dept) return noRows();
  return { direction: Direction.OUTGOING, state: OutgoingState.ISSUED, recipients: { $some: { unit: dept } } } as unknown as Where;
}

/** The filter of one inbox view, on top of what the viewer may read; deadlines count working days (`bounds`). */
export function viewWhere(ctx: Context, view: InboxView, bounds: DeadlineBounds): Where {
  return membershipAsExists(viewFilter(ctx, view, bounds));
}

/** The same filter with membership as MikroORM writes it (`$some`): what `viewWhere` must answer the same as. */
export function viewFilter(ctx: Context, view: InboxView, bounds: DeadlineBounds): Where {
  const toProcess = { ...mine(ctx), state: { $in: OPEN }, role: { $in: [AssignmentRole.LEAD, AssignmentRole.COOPERATE] } };
  const incoming = (action: Action, state: IncomingState) => documentsFor(ctx, action, Direction.INCOMING, state);
  const outgoing = (action: Action, state: OutgoingState | { $in: OutgoingState[] }) => documentsFor(ctx, action, Direction.OUTGOING, state);
  switch (view) {
    case InboxView.TO_REGISTER:
      return incoming('register', IncomingState.RECEIVED);
    case InboxView.TO_SUBMIT:
      return incoming('submit', IncomingState.REGISTERED);
    case InboxView.AWAITING_DIRECTION:
      return incoming('assign', IncomingState.SUBMITTED);
    case InboxView.TO_PROCESS:
      return { assignments: { $some: toProcess } };
    case InboxView.DUE_SOON:
      return { assignments: { $some: { ...toProcess, deadline: { $gt: bounds.overdueUpTo, $lte: bounds.dueSoonUpTo } } } };
    case InboxView.OVERDUE:
      return { assignments: { $some: { ...toProcess, deadline: { $lte: bounds.overdueUpTo } } } };
    case InboxView.RETURNED:
      return { assignments: { $some: { assignedBy: ctx.viewer!.accountId, state: AssignmentState.RETURNED, returnHandled: false } } };
    case InboxView.FOR_INFORMATION:
      // Not yet marked read: once read, it has left the view; and internal notices issued to the viewer's department.
      return {
        $or: [{ assignments: { $some: { ...mine(ctx), role: AssignmentRole.INFORM, state: AssignmentState.PENDING } } }, internalNoticesWhere(ctx)],
      };
    case InboxView.DRAFTS:
      return outgoing('revise', OutgoingState.DRAFT);
    case InboxView.TO_REVIEW:
      return outgoing('approve', OutgoingState.IN_REVIEW);
    case InboxView.TO_SIGN:
      return outgoing('sign', OutgoingState.AWAITING_SIGNATURE);
    case InboxView.TO_ISSUE:
      // Signed, or numbered and waiting for the stamped scan.
      return outgoing('issue', { $in: [OutgoingState.SIGNED, OutgoingState.NUMBERED] });
  }
}

/** One inbox view of the viewer, oldest first (the order work arrives in). */
export async function inbox(
  ctx: Context,
  view: InboxView,
  first?: number | null,
  after?: string | null,
  info?: GraphQLResolveInfo,
): Promise<Page<Document | Compiled> | RawJson> {
  requireViewer(ctx);
  const bounds = await deadlineBoundsToday(ctx);
  const where = (): Where => ({ $and: [readableWhere(ctx), viewWhere(ctx, view, bounds)] });
  if (wantsRaw(info)) return rawDocumentPage(ctx, info, where, 'asc', first, after, ['inbox', view, bounds]);
  const compiled = info && (await compiledDocumentPage(ctx, info, where, 'asc', first, after));
  return compiled || paginate(ctx.em, Document, where(), { key: 'createdAt', first, after, direction: 'asc' });
}

/** How many documents each inbox view holds for the viewer, under the same filters as the views. */
export function inboxCounts(ctx: Context): Promise<Record<InboxView, number>>;
export function inboxCounts(ctx: Context, info: GraphQLResolveInfo): Promise<Record<InboxView, number> | RawJson>;
export async function inboxCounts(ctx: Context, info?: GraphQLResolveInfo): Promise<Record<InboxView, number> | RawJson> {
  requireViewer(ctx);
  const bounds = await deadlineBoundsToday(ctx);
  // One statement, a count per view under the same filters as the views (the rows of both).
  const views = Object.values(InboxView).map((view): [InboxView, () => Where] => [view, () => viewWhere(ctx, view, bounds)]);
  if (wantsRaw(info)) return rawCounts(ctx, info, () => readableWhere(ctx), views, ['inboxCounts', bounds]);
  return compiledCounts(ctx, () => readableWhere(ctx), views);
}

/**
 * Whether a registered document is late for the director: urgent ones at once, others past the last
 * 9:00 / 15:00 cut-off of a working day (registered on Friday after 15:00: not late before Monday 9:00).
 */
export async function submissionOverdue(ctx: Context, doc: IncomingDocument): Promise<boolean> {
  if (doc.state !== IncomingState.REGISTERED || !doc.registeredAt) return false;
  if (doc.urgency !== Urgency.NORMAL) return true;
  const calendar = await workingCalendar(ctx);
  return doc.registeredAt.getTime() < calendar.lastCutoff(ctx.app.clock.now(), ctx.app.config.officeTimeZone).getTime();
}

/** The history of a document, oldest first. */
export function history(ctx: Context, documentId: string, first?: number | null, after?: string | null): Promise<Page<RoutingEvent>> {
  return paginate(ctx.em, RoutingEvent, { document: documentId }, { key: 'id', first, after, direction: 'asc' });
}

/** Registered documents with the same number, symbol and issuer in the same keeping unit: probable duplicates the clerk should look at. */
export async function possibleDuplicates(ctx: Context, doc: IncomingDocument): Promise<IncomingDocument[]> {
  if (!doc.number || !doc.symbol) return [];
  return readableDuplicatesOf(ctx, { id: doc.id, keepingUnit: doc.keepingUnit.id, number: doc.number, symbol: doc.symbol, issuer: doc.issuer });
}

/** The registers of the viewer's keeping unit for a year (the current office year by default). */
export async function registers(ctx: Context, year?: number | null): Promise<Register[]> {
  const v = requireViewer(ctx);
  const y = year ?? officeYear(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (!Number.isInteger(y) || y < 1900 || y > 9999) throw badInput('year must be a year such as 2026.', 'year');
  if (!v.roles.some((r) => r === Role.CLERK || r === Role.DIRECTOR)) return [];
  return ctx.em.find(Register, { keepingUnit: v.keepingUnitId, year: y }, { orderBy: { direction: 'asc' } });
}

/** Any document the viewer may read by its global id, or null (the same for "does not exist" and "may not see"). */
export async function findDocument(ctx: Context, id: string, info?: GraphQLResolveInfo): Promise<Document | Compiled | RawJson | null> {
  requireViewer(ctx);
  const ref = keyOfAny(['IncomingDocument', 'OutgoingDocument'] as const, id, 'id');
  const where = (): Where => readableDocumentsWhere(ctx, { id: ref.key, direction: ref.type === 'IncomingDocument' ? Direction.INCOMING : Direction.OUTGOING });
  if (wantsRaw(info)) return rawDocument(ctx, info, where, ['document', ref]);
  const compiled = info ? await compiledDocument(ctx, info, where()) : undefined;
  return compiled !== undefined ? compiled : ctx.em.findOne(Document, where());
}

/** Any document the viewer may read by its primary key, or null. */
export function findDocumentByKey(ctx: Context, key: string): Promise<Document | null> {
  if (!ctx.viewer) return Promise.resolve(null);
  return findReadableDocument(ctx, key);
}
