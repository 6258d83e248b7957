import { LockMode, type FilterQuery } from '@mikro-orm/core';
import { Account, Document, Incident, IncidentEvent, IncomingDocument, OutgoingDocument, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { Role } from '../domain/accounts/account-rules';
import { INCIDENT_LIMITS, IncidentState, IncidentStep, INCIDENT_WORKFLOW, occurredAtProblem } from '../domain/incidents/incident-rules';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf, keyOfAny, toGlobalId } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { perObject } from '../graphql/request-memo';
import { viewerAgencyId } from './agencies';
import { findDocumentByKey } from './document-query.service';
import { requireViewer } from './guards';
import { once } from './idempotency';
import { officeYearBounds } from './incident-report';
import { text } from './input-checks';

/**
 * Incidents (sự cố, Điều 10.4, 8.5): anyone signed in reports a fault they met; they see their own.
 * The SYSADMIN of their agency sees the agency's incidents, works them and closes them — never
 * learning a document's content through one: a document is shown by its reference, not its subject.
 */

const isAdmin = (ctx: Context) => requireViewer(ctx).roles.includes(Role.SYSADMIN);

/** The incidents the viewer may see: its agency's for a SYSADMIN, its own for everyone else. */
async function visibleWhere(ctx: Context): Promise<FilterQuery<Incident>> {
  const v = requireViewer(ctx);
  const agency = await viewerAgencyId(ctx);
  return isAdmin(ctx) ? { agency } : { agency, reporter: v.accountId };
}

export interface ReportIncidentInput {
  summary: string;
  details?: string | null;
  occurredAt: Date;
  screen?: string | null;
  documentId?: string | null;
}

/** Reports an incident (any signed-in account); a document it names must be one the reporter may read. */
export async function reportIncident(ctx: Context, input: ReportIncidentInput, idempotencyKey?: string | null): Promise<Incident> {
  const v = requireViewer(ctx);
  const now = ctx.app.clock.now();
  const summary = text(input.summary?.trim(), 'input.summary', INCIDENT_LIMITS.summary, true)!;
  const details = text(input.details?.trim(), 'input.details', INCIDENT_LIMITS.details);
  const screen = text(input.screen?.trim(), 'input.screen', INCIDENT_LIMITS.screen);
  const problem = occurredAtProblem(input.occurredAt, now);
  if (problem) throw badInput(problem, 'input.occurredAt');
  let document: Document | null = null;
  if (input.documentId) {
    document = await findDocumentByKey(ctx, keyOfAny(['IncomingDocument', 'OutgoingDocument'], input.documentId, 'input.documentId').key);
    if (!document) throw new AppError(ErrorCode.NOT_FOUND, 'input.documentId names no document you may read.', { field: 'input.documentId' });
  }
  const agency = await viewerAgencyId(ctx);
  return once(
    ctx,
    idempotencyKey,
    'reportIncident',
    (c) =>
      withTransaction(c, async ({ em }) => {
        const incident = em.create(Incident, {
          agency: em.getReference(Unit, agency),
          reporter: em.getReference(Account, v.accountId),
          reporterUnit: em.getReference(Unit, v.unitId),
          summary,
          details,
          screen,
          document: document ? em.getReference(Document, document.id) : null,
          occurredAt: input.occurredAt,
          reportedAt: now,
          state: IncidentState.REPORTED,
          updatedAt: now,
        });
        em.create(IncidentEvent, {
          incident,
          fromState: null,
          toState: IncidentState.REPORTED,
          note: null,
          actor: em.getReference(Account, v.accountId),
          at: now,
        });
        await em.flush();
        return incident;
      }),
    (c, id) => c.em.findOneOrFail(Incident, { id }),
  );
}

/** The viewer's incidents (SYSADMIN: the agency's), newest first, by state and year of report when asked. */
export async function listIncidents(
  ctx: Context,
  filter: { states?: IncidentState[] | null; year?: number | null } | null | undefined,
  first?: number | null,
  after?: string | null,
): Promise<Page<Incident>> {
  const where: FilterQuery<Incident>[] = [await visibleWhere(ctx)];
  if (filter?.states?.length) where.push({ state: { $in: filter.states } });
  if (filter?.year !== null && filter?.year !== undefined) {
    const { from, to } = yearBounds(ctx, filter.year, 'filter.year');
    where.push({ reportedAt: { $gte: from, $lt: to } });
  }
  return paginate(ctx.em, Incident, { $and: where }, { key: 'reportedAt', first, after, direction: 'desc' });
}

/** One incident the viewer may see, or null (the same for "does not exist" and "may not see"). */
export async function findIncident(ctx: Context, id: string): Promise<Incident | null> {
  const key = keyOf('Incident', id, 'id');
  return ctx.em.findOne(Incident, { $and: [{ id: key }, await visibleWhere(ctx)] });
}

/** An administrator's step on an incident of its agency, with its note, under a row lock. */
async function step(ctx: Context, id: string, s: IncidentStep, note: string): Promise<Incident> {
  const v = requireViewer(ctx);
  if (!isAdmin(ctx)) throw forbidden('Only the SYSADMIN (network administrator) works and closes incidents.');
  const key = keyOf('Incident', id, 'id');
  const agency = await viewerAgencyId(ctx);
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const incident = await em.findOne(Incident, { id: key, agency }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!incident) throw new AppError(ErrorCode.NOT_FOUND, 'No incident was found with this id, or you may not see it.');
    const from = incident.state;
    const to = INCIDENT_WORKFLOW.step(from, s);
    const now = ctx.app.clock.now();
    incident.state = to;
    incident.updatedAt = now;
    if (s === IncidentStep.CLOSE) {
      incident.resolution = note;
      incident.closedAt = now;
      incident.closedBy = em.getReference(Account, v.accountId);
    }
    em.create(IncidentEvent, { incident, fromState: from, toState: to, note, actor: em.getReference(Account, v.accountId), at: now });
    await em.flush();
    return incident;
  });
}

/** Takes an incident up, or notes further work on it: IN_PROGRESS with the note (SYSADMIN). */
export function workIncident(ctx: Context, id: string, note: string): Promise<Incident> {
  return step(ctx, id, IncidentStep.WORK, text(note?.trim(), 'note', INCIDENT_LIMITS.note, true)!);
}

/** Closes an incident with its resolution (SYSADMIN). */
export function closeIncident(ctx: Context, id: string, resolution: string): Promise<Incident> {
  return step(ctx, id, IncidentStep.CLOSE, text(resolution?.trim(), 'resolution', INCIDENT_LIMITS.note, true)!);
}

/** An incident's history, oldest first. */
export function incidentHistory(ctx: Context, incident: Incident): Promise<IncidentEvent[]> {
  return ctx.em.find(IncidentEvent, { incident: incident.id }, { orderBy: { id: 'asc' } });
}

/**
 * The document an incident names, as it is shown: its global id (whoever may read it opens it with
 * `node`) and its register reference (arrival number, or number and symbol) — never its subject or
 * content, since the administrator reads no document.
 */
export function incidentDocument(ctx: Context, incident: Incident): Promise<{ id: string; reference: string } | null> {
  return perObject(incident, 'incidentDocument', async () => {
    if (!incident.document) return null;
    const doc = await ctx.em.findOne(Document, { id: incident.document.id }, { populate: ['register'] });
    if (!doc) return null;
    if (doc instanceof IncomingDocument) {
      const reference = doc.arrivalNumber && doc.register ? `Văn bản đến số ${doc.arrivalNumber}/${doc.register.year}` : 'Văn bản đến chưa vào sổ';
      return { id: toGlobalId('IncomingDocument', doc.id), reference };
    }
    const out = doc as OutgoingDocument;
    const reference = out.issueNumber ? `Văn bản đi số ${out.issueNumber}${out.symbol ? `/${out.symbol}` : ''}` : 'Dự thảo văn bản đi';
    return { id: toGlobalId('OutgoingDocument', doc.id), reference };
  });
}

function yearBounds(ctx: Context, year: number, field: string): { from: Date; to: Date } {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw badInput(`${field} must be a year such as 2026.`, field);
  return officeYearBounds(ctx.app.config.officeTimeZone, year);
}
