import { LockMode, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subject } from '@casl/ability';
import { Document, Dossier, DossierDocument, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { agencyIdOf, organIdOf } from './agencies';
import { DossierState, NOTATION_PATTERN, dossierCode, handoverDue, parseRetention } from '../domain/dossiers/dossier-rules';
import type { Action } from '../domain/permissions/ability';
import { findReadableDossier as findReadableDossierByKey, isReadableDossier, readableDossiers } from '../repositories/dossiers';
import { foldVietnamese } from '../domain/text/normalise';
import { isCalendarDate, officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, annulled, badInput, forbidden } from '../errors';
import { keyOf, keyOfAny } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { findReadableDocument, findReadableDocuments, readableDocuments } from '../repositories/documents';
import { requireViewer } from './guards';
import { containing, text } from './input-checks';
import type { GraphQLResolveInfo } from 'graphql';
import type { Compiled } from '../read/compiled';
import { compiledDossierPage, rawDossierPage } from '../read/dossier-reads';
import { type RawJson, wantsRaw } from '../read/raw';

const NOT_FOUND = () => new AppError(ErrorCode.NOT_FOUND, 'No dossier was found with this id, or you may not see it.');

export interface OpenDossierInput {
  notation: string;
  title: string;
  year: number;
  retention: string;
  note?: string | null;
  rights?: string | null;
  language?: string | null;
  startDate?: string | null;
}

export interface UpdateDossierInput {
  title?: string | null;
  retention?: string | null;
  note?: string | null;
  rights?: string | null;
  language?: string | null;
  endDate?: string | null;
}

function facts(d: Dossier) {
  return { owner: d.owner.id, ownerUnit: d.ownerUnit.id, keepingUnit: d.keepingUnit.id };
}

/** A dossier the viewer may read, or NOT_FOUND. */
export async function findReadableDossier(ctx: Context, id: string, argument = 'id'): Promise<Dossier> {
  requireViewer(ctx);
  const d = await findReadableDossierByKey(ctx, keyOf('Dossier', id, argument));
  if (!d) throw NOT_FOUND();
  return d;
}

async function findFor(ctx: Context, id: string, action: Action, argument = 'id'): Promise<Dossier> {
  const d = await findReadableDossier(ctx, id, argument);
  if (!ctx.ability.can(action, subject('Dossier', facts(d)) as never)) throw forbidden();
  return d;
}

function lock(em: EntityManager, id: string): Promise<Dossier> {
  return em.findOneOrFail(Dossier, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

function open(d: Dossier): void {
  if (d.state === DossierState.CLOSED)
    throw new AppError(ErrorCode.DOSSIER_CLOSED, 'The dossier is closed: it takes no changes until its owner’s head or a director reopens it.');
}

function retention(raw: string, field: string): number | null {
  const r = parseRetention(raw);
  if (r === undefined) throw badInput(`${field} must be "PERMANENT" or a number of years from 1 to 100.`, field);
  return r;
}

/** Opens a dossier for the viewer's work; its code is the organ identifier, the year and the notation. */
export async function openDossier(ctx: Context, input: OpenDossierInput): Promise<Dossier> {
  const viewer = requireViewer(ctx);
  if (!ctx.ability.can('open', 'Dossier')) throw forbidden();
  const notation = text(input.notation, 'input.notation', 20, true)!;
  if (!NOTATION_PATTERN.test(notation)) throw badInput('input.notation may hold letters, digits, dots and hyphens (e.g. 01.VP).', 'input.notation');
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > Number(today.slice(0, 4)) + 1)
    throw badInput('input.year must be a year such as 2026.', 'input.year');
  const startDate = input.startDate ?? today;
  if (!isCalendarDate(startDate)) throw badInput('input.startDate must be a calendar day written YYYY-MM-DD.', 'input.startDate');
  const keeping = await ctx.em.findOneOrFail(Unit, { id: viewer.keepingUnitId });
  // A keeping unit with its own identifier uses it; otherwise its agency's (ORGAN_ID for the first agency).
  const organId = keeping.code ?? (await organIdOf(ctx.em, ctx.app.config, await agencyIdOf(ctx.em, keeping.id)));
  const d = ctx.em.create(Dossier, {
    code: dossierCode(organId, input.year, notation),
    year: input.year,
    notation,
    title: text(input.title, 'input.title', 500, true)!,
    retentionYears: retention(input.retention, 'input.retention'),
    rights: text(input.rights, 'input.rights', 200),
    language: text(input.language, 'input.language', 30) ?? 'vi',
    startDate,
    note: text(input.note, 'input.note', 500),
    owner: viewer.accountId,
    ownerUnit: viewer.unitId,
    keepingUnit: viewer.keepingUnitId,
    state: DossierState.OPEN,
    createdAt: ctx.app.clock.now(),
  });
  try {
    await ctx.em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException)
      throw new AppError(ErrorCode.ALREADY_EXISTS, `A dossier with the code ${d.code} already exists: choose another notation.`, { field: 'input.notation' });
    throw e;
  }
  return d;
}

/** Changes the description of an open dossier. */
export async function updateDossier(ctx: Context, id: string, input: UpdateDossierInput): Promise<Dossier> {
  const found = await findFor(ctx, id, 'update');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const d = await lock(em, found.id);
    open(d);
    if (input.title !== undefined && input.title !== null) d.title = text(input.title, 'input.title', 500, true)!;
    if (input.retention) d.retentionYears = retention(input.retention, 'input.retention');
    if (input.note !== undefined) d.note = text(input.note, 'input.note', 500);
    if (input.rights !== undefined) d.rights = text(input.rights, 'input.rights', 200);
    if (input.language) d.language = text(input.language, 'input.language', 30)!;
    if (input.endDate !== undefined) {
      if (input.endDate !== null && (!isCalendarDate(input.endDate) || input.endDate < d.startDate))
        throw badInput('input.endDate must be a calendar day no earlier than the start date.', 'input.endDate');
      d.endDate = input.endDate;
    }
    return d;
  });
}

/** Files a document the viewer may read into an open dossier of the same keeping unit, as the next ordinal. */
export async function fileDocument(ctx: Context, dossierId: string, documentId: string): Promise<Dossier> {
  const viewer = requireViewer(ctx);
  const found = await findFor(ctx, dossierId, 'file', 'dossierId');
  const ref = keyOfAny(['IncomingDocument', 'OutgoingDocument'] as const, documentId, 'documentId');
  const doc = await findReadableDocument(ctx, ref.key);
  if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'No document was found with this documentId, or you may not see it.', { field: 'documentId' });
  if (doc.keepingUnit.id !== found.keepingUnit.id) throw badInput('A dossier holds documents of its own keeping unit only.', 'documentId');
  // A registration annulled as made in error is not part of any work.
  if (doc.state === 'ANNULLED') throw annulled();
  try {
    return await withTransaction(ctx, async (tx) => {
      const { em } = tx;
      const d = await lock(em, found.id);
      open(d);
      const existing = await em.findOne(DossierDocument, { document: doc.id }, { populate: ['dossier'] });
      if (existing)
        throw new AppError(ErrorCode.ALREADY_EXISTS, `The document is already filed in dossier ${existing.dossier.code}. Unfile it there first.`, {
          field: 'documentId',
        });
      const last: Array<{ n: number | null }> = await em.execute(`select max(ordinal) as n from dossier_document where dossier_id = ?`, [d.id]);
      em.create(DossierDocument, { dossier: d, document: doc.id, ordinal: (last[0]?.n ?? 0) + 1, filedBy: viewer.accountId, filedAt: ctx.app.clock.now() });
      return d;
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException)
      throw new AppError(ErrorCode.ALREADY_EXISTS, 'The document is already filed in a dossier.', { field: 'documentId' });
    throw e;
  }
}

/** Takes a document out of an open dossier; the ordinals after it move up, so they stay 1, 2, 3… */
export async function unfileDocument(ctx: Context, dossierId: string, documentId: string): Promise<Dossier> {
  const found = await findFor(ctx, dossierId, 'file', 'dossierId');
  const ref = keyOfAny(['IncomingDocument', 'OutgoingDocument'] as const, documentId, 'documentId');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const d = await lock(em, found.id);
    open(d);
    const entry = await em.findOne(DossierDocument, { dossier: d.id, document: ref.key });
    if (!entry) throw new AppError(ErrorCode.NOT_FOUND, 'This document is not filed in this dossier.', { field: 'documentId' });
    await em.nativeDelete(DossierDocument, { id: entry.id });
    // Two steps, so the unique (dossier, ordinal) holds after each statement.
    await em.execute(`update dossier_document set ordinal = -ordinal where dossier_id = ? and ordinal > ?`, [d.id, entry.ordinal]);
    await em.execute(`update dossier_document set ordinal = -ordinal - 1 where dossier_id = ? and ordinal < 0`, [d.id]);
    return d;
  });
}

/** Closes a dossier when the work ends: it takes no more documents. */
export async function closeDossier(ctx: Context, id: string): Promise<Dossier> {
  const found = await findFor(ctx, id, 'close');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const d = await lock(em, found.id);
    open(d);
    d.state = DossierState.CLOSED;
    d.closedAt = ctx.app.clock.now();
    d.endDate ??= officeDate(d.closedAt, ctx.app.config.officeTimeZone);
    return d;
  });
}

/** Reopens a closed dossier (the owner's head or a director). */
export async function reopenDossier(ctx: Context, id: string): Promise<Dossier> {
  const found = await findFor(ctx, id, 'reopen');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const d = await lock(em, found.id);
    if (d.state !== DossierState.CLOSED)
      throw new AppError(ErrorCode.INVALID_TRANSITION, 'The dossier is already open.', { from: d.state, to: DossierState.OPEN });
    d.state = DossierState.OPEN;
    d.closedAt = null;
    return d;
  });
}

export interface DossierFilter {
  text?: string | null;
  year?: number | null;
  state?: DossierState | null;
  handoverDue?: boolean | null;
}

/** The filter of the dossiers the viewer may read under `filter` (a new object each time: the ORM rewrites filters in place). */
function dossierWhere(ctx: Context, filter: DossierFilter | null | undefined): FilterQuery<Dossier> {
  const where: FilterQuery<Dossier>[] = [readableDossiers(ctx)];
  if (filter?.text) {
    if (filter.text.length > 200) throw badInput('filter.text must be at most 200 characters.', 'filter.text');
    for (const token of foldVietnamese(filter.text).split(/\s+/).filter(Boolean)) where.push({ searchText: { $like: containing(token) } });
  }
  if (filter?.year) where.push({ year: filter.year });
  if (filter?.state) where.push({ state: filter.state });
  if (filter?.handoverDue) {
    const limit = new Date(ctx.app.clock.now().getTime() - (365 - 30) * 86_400_000);
    where.push({ state: DossierState.CLOSED, closedAt: { $lte: limit } });
  }
  return { $and: where };
}

/** Dossiers the viewer may read; `text` ignores case and diacritics in the title and code. Compiled into one statement when `info` allows. */
export async function listDossiers(
  ctx: Context,
  filter: DossierFilter | null | undefined,
  first?: number | null,
  after?: string | null,
  info?: GraphQLResolveInfo,
): Promise<Page<Dossier | Compiled> | RawJson> {
  requireViewer(ctx);
  if (info) {
    // The filters as functions: the ORM rewrites a filter in place, so each rendering gets its own.
    const read = [() => dossierWhere(ctx, filter), () => readableDocuments(ctx), first, after] as const;
    // The handover filter depends on the instant: such a request is never answered from a kept statement.
    if (wantsRaw(info)) return rawDossierPage(ctx, info, ...read, ['dossiers', filter, filter?.handoverDue ? ctx.app.clock.now().getTime() : null]);
    const compiled = await compiledDossierPage(ctx, info, ...read);
    if (compiled) return compiled;
  }
  return paginate(ctx.em, Dossier, dossierWhere(ctx, filter), { key: 'code', first, after });
}

/** The documents of a dossier that the viewer may read, in filing order. */
export async function dossierDocuments(ctx: Context, d: Dossier): Promise<{ entry: DossierDocument; document: Document }[]> {
  // The documents are loaded before the entries: an entry's reference to its document is made of the
  // base class, and a document first met as such a reference would stay one (neither incoming nor
  // outgoing, so the GraphQL type could not be told). Loaded first, each is of its own class.
  const filed: Array<{ id: string }> = await ctx.em.execute(`select document_id as id from dossier_document where dossier_id = ?`, [d.id]);
  if (!filed.length) return [];
  const readable = await findReadableDocuments(
    ctx,
    filed.map((f) => f.id),
  );
  const entries = await ctx.em.find(DossierDocument, { dossier: d.id }, { orderBy: { ordinal: 'asc' } });
  const byId = new Map(readable.map((r) => [r.id, r]));
  return entries.filter((e) => byId.has(e.document.id)).map((entry) => ({ entry, document: byId.get(entry.document.id)! }));
}

export const isHandoverDue = (ctx: Context, d: Dossier) => handoverDue(d.closedAt, ctx.app.clock.now());

/** Where a document is filed, when the viewer may read that dossier. */
export async function filedIn(ctx: Context, documentId: string): Promise<DossierDocument | null> {
  const entry = await ctx.em.findOne(DossierDocument, { document: documentId });
  if (!entry) return null;
  return (await isReadableDossier(ctx, entry.dossier.id)) ? entry : null;
}
