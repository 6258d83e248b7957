import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subject } from '@casl/ability';
import { Account, Assignment, Correspondent, DocumentAttachment, IncomingDocument, StoredFile, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction, type TxContext } from '../transaction';
import { AccountStatus } from '../domain/accounts/account-rules';
import { Confidentiality, Direction, ArrivalChannel, METADATA_LIMITS, RoutingEventKind, Urgency } from '../domain/documents/document-enums';
import { AssignmentRole, DOCUMENT_WORKFLOW, AssignmentState, IncomingState, deriveDocumentState, type DocumentStep } from '../domain/incoming/routing';
import { routedUnitProblem } from '../domain/incoming/unit-routing';
import type { Action } from '../domain/permissions/ability';
import { findReadableIncoming } from '../repositories/incoming-documents';
import { UnitKind } from '../domain/units/unit-rules';
import { officeDate, officeYear } from '../domain/time/office-time';
import { AppError, ErrorCode, annulled, badInput, forbidden } from '../errors';
import { keyOf, keyOfAny, toGlobalId } from '../graphql/global-id';
import { once } from './idempotency';
import { discardUnattached } from './file.service';
import { viewerAgencyId } from './agencies';
import { requireViewer } from './guards';
import { text, date } from './input-checks';
import { recordEvent } from './history';
import { numberLast } from './registers';
import { registerAtOnce, registerInOne } from './registration';
import { lockAssigneeAccount } from './hand-over';
import { checkIncomingMetadata } from './incoming-metadata';
import { followUnitCopy, sendUnitCopies } from './centre-routing';

const NOT_FOUND_DOCUMENT = () => new AppError(ErrorCode.NOT_FOUND, 'No document was found with this id, or you may not see it.');

export interface ReceiveInput {
  documentTypeCode: string;
  number?: string | null;
  symbol?: string | null;
  issuedDate: string;
  issuer: string;
  senderId?: string | null;
  subject: string;
  pageCount?: number | null;
  signerName?: string | null;
  signerPosition?: string | null;
  note?: string | null;
  urgency?: Urgency | null;
  confidentiality?: Confidentiality | null;
  dueDate?: string | null;
  attachmentIds: string[];
  registerNow?: boolean | null;
  arrivalChannel?: ArrivalChannel | null;
}

export interface AssigneeInput {
  unitId?: string | null;
  accountId?: string | null;
  deadline?: string | null;
}

export interface AssignInput {
  instruction: string;
  /** None for a document sent for information only (để biết): then at least one informed and no cooperating. */
  lead?: AssigneeInput | null;
  cooperating?: AssigneeInput[] | null;
  informed?: AssigneeInput[] | null;
}

/** A document the viewer may read, or NOT_FOUND — identical for "does not exist" and "may not see". */
export async function findReadable(ctx: Context, id: string, argument = 'id'): Promise<IncomingDocument> {
  requireViewer(ctx);
  const key = keyOf('IncomingDocument', id, argument);
  const doc = await findReadableIncoming(ctx, key);
  if (!doc) throw NOT_FOUND_DOCUMENT();
  return doc;
}

/** The document with this primary key if the viewer may read it, else null. */
export async function readableOrNull(ctx: Context, key: string): Promise<IncomingDocument | null> {
  if (!ctx.viewer) return null;
  return findReadableIncoming(ctx, key);
}

/** A readable document on which the viewer may take `action`: NOT_FOUND when unreadable, FORBIDDEN when only the action is refused. */
async function findFor(ctx: Context, id: string, action: Action): Promise<IncomingDocument> {
  const doc = await findReadable(ctx, id);
  if (!ctx.ability.can(action, subject('IncomingDocument', { keepingUnit: doc.keepingUnit.id }) as never)) throw forbidden();
  return doc;
}

/** Moves a locked document by a clerk's or director's step; refuses an illegal one naming both states. */
function step(doc: IncomingDocument, s: DocumentStep): { from: IncomingState; to: IncomingState } {
  const from = doc.state;
  if (from === IncomingState.ANNULLED) throw annulled();
  doc.state = DOCUMENT_WORKFLOW.step(from, s);
  return { from, to: doc.state };
}

export async function lock(em: EntityManager, id: string): Promise<IncomingDocument> {
  return em.findOneOrFail(IncomingDocument, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/**
 * Gives a locked RECEIVED document the next arrival number of its keeping unit's register for the office year.
 * The last step of its transaction: the number and its REGISTERED event are one final statement (numberLast).
 */
async function registerLocked(ctx: TxContext, doc: IncomingDocument, note?: string): Promise<void> {
  const now = ctx.app.clock.now();
  const { from, to } = step(doc, 'register');
  doc.arrivalDate = officeDate(now, ctx.app.config.officeTimeZone);
  doc.registeredAt = now;
  const year = officeYear(now, ctx.app.config.officeTimeZone);
  await numberLast(ctx, doc, year, { type: RoutingEventKind.REGISTERED, from, to, note, notePrefix: 'Số đến ' });
}

/** Receives a document (metadata and attachments) into the viewer's keeping unit: RECEIVED, or REGISTERED when asked. */
export async function receiveDocument(ctx: Context, input: ReceiveInput): Promise<IncomingDocument> {
  const viewer = requireViewer(ctx);
  const fileIds = (input.attachmentIds ?? []).map((id, i) => keyOf('StoredFile', id, `attachmentIds[${i}]`));
  if ((input.confidentiality ?? Confidentiality.NORMAL) !== Confidentiality.NORMAL) {
    // Điều 3.2: a classified document is not stored, and neither are the files uploaded for it.
    await discardUnattached(ctx.em, ctx.app.config.uploadDir, fileIds, viewer.accountId);
    throw new AppError(ErrorCode.CLASSIFIED_DOCUMENT_REFUSED);
  }
  if (!ctx.ability.can('receive', subject('IncomingDocument', { keepingUnit: viewer.keepingUnitId }) as never))
    throw forbidden('Only the clerk of a records-keeping unit receives documents.');
  const m = await checkIncomingMetadata(ctx, input);
  if (fileIds.length === 0) throw badInput('Attach at least one file: the scan or the electronic original.', 'attachmentIds');
  if (fileIds.length > 50) throw badInput('At most 50 attachments.', 'attachmentIds');
  if (new Set(fileIds).size !== fileIds.length) throw badInput('Each file may be attached once.', 'attachmentIds');
  const files = await ctx.em.find(StoredFile, { id: { $in: fileIds }, uploadedBy: viewer.accountId });
  if (files.length !== fileIds.length)
    throw new AppError(ErrorCode.NOT_FOUND, 'An attachment was not found among your uploads. Upload it with POST /files first.', { field: 'attachmentIds' });
  let senderCorrespondent: Correspondent | null = null;
  let senderUnit: Unit | null = null;
  if (input.senderId) {
    const s = keyOfAny(['Correspondent', 'Unit'] as const, input.senderId, 'senderId');
    // The viewer's agency's correspondents only: another agency's are not there for it.
    if (s.type === 'Correspondent') senderCorrespondent = await ctx.em.findOne(Correspondent, { id: s.key, agency: await viewerAgencyId(ctx) });
    else senderUnit = await ctx.em.findOne(Unit, { id: s.key });
    if (!senderCorrespondent && !senderUnit)
      throw new AppError(ErrorCode.NOT_FOUND, 'No correspondent or unit was found with this senderId.', { field: 'senderId' });
  }
  const arrivalChannel = input.arrivalChannel ?? (senderUnit ? ArrivalChannel.INTERNAL : ArrivalChannel.PAPER);

  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const now = ctx.app.clock.now();
    const doc = em.create(IncomingDocument, {
      direction: Direction.INCOMING,
      ...m,
      keepingUnit: viewer.keepingUnitId,
      state: IncomingState.RECEIVED,
      createdBy: viewer.accountId,
      arrivalChannel,
      senderCorrespondent,
      senderUnit,
      receivedAt: now,
      createdAt: now,
    });
    fileIds.forEach((id, i) => em.create(DocumentAttachment, { document: doc, file: id, ordinal: i + 1 }));
    recordEvent(tx, doc, RoutingEventKind.RECEIVED, null, IncomingState.RECEIVED, null);
    await em.flush();
    if (input.registerNow) await registerLocked(tx, doc);
    return doc;
  });
}

/** Gives the document the next arrival number (số đến) of its register: REGISTERED. */
export async function registerDocument(ctx: Context, id: string): Promise<IncomingDocument> {
  requireViewer(ctx);
  // The check, the number, the document and its event in one statement when it can (src/services/registration.ts).
  const done = await registerInOne(ctx, keyOf('IncomingDocument', id, 'id'));
  if (done) return done;
  // Otherwise the usual path, whose checks give the coded errors: the document as read, its step, then
  // the registration in one statement when it can (registerAtOnce), else the transaction below.
  const found = await findFor(ctx, id, 'register');
  if (await registerAtOnce(ctx, found, (doc) => step(doc, 'register'))) return found;
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    await registerLocked(tx, doc);
    return doc;
  });
}

/** Refuses a wrong or invalid document back to its sender, with the reason: REJECTED. */
export async function rejectDocument(ctx: Context, id: string, reason: string): Promise<IncomingDocument> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const found = await findFor(ctx, id, 'reject');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, 'reject');
    doc.rejectionReason = r;
    recordEvent(tx, doc, RoutingEventKind.REJECTED, from, to, r);
    await followUnitCopy(tx, doc, r);
    return doc;
  });
}

/** Submits registered documents to the director, all or none: SUBMITTED. */
export async function submitDocuments(ctx: Context, ids: string[]): Promise<IncomingDocument[]> {
  if (!ids?.length) throw badInput('Give at least one document id.', 'ids');
  if (ids.length > 100) throw badInput('Submit at most 100 documents at once.', 'ids');
  const unique = [...new Set(ids)];
  const found: IncomingDocument[] = [];
  for (const id of unique) found.push(await findFor(ctx, id, 'submit'));
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const docs: IncomingDocument[] = [];
    // Lock in a fixed order so two clerks submitting overlapping sets cannot deadlock.
    for (const f of [...found].sort((a, b) => a.id.localeCompare(b.id))) {
      const doc = await lock(em, f.id);
      const { from, to } = step(doc, 'submit');
      doc.submittedAt = ctx.app.clock.now();
      recordEvent(tx, doc, RoutingEventKind.SUBMITTED, from, to, null);
      docs.push(doc);
    }
    const order = new Map(found.map((d, i) => [d.id, i]));
    return docs.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  });
}

export interface ResolvedAssignee {
  unit: Unit | null;
  account: Account | null;
  scopeUnit: string;
  deadline: string | null;
  label: string;
}

export async function resolveAssignee(
  ctx: TxContext,
  a: AssigneeInput,
  field: string,
  keepingUnitId: string,
  needsDeadline: boolean,
): Promise<ResolvedAssignee> {
  const { em } = ctx;
  if (!a || !a.unitId === !a.accountId) throw badInput(`${field} must name exactly one of unitId and accountId.`, field);
  const deadline = date(a.deadline, `${field}.deadline`, needsDeadline);
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (deadline && deadline < today) throw badInput(`${field}.deadline cannot be in the past.`, `${field}.deadline`);
  if (a.unitId) {
    const unit = await em.findOne(Unit, { id: keyOf('Unit', a.unitId, `${field}.unitId`) });
    if (!unit) throw new AppError(ErrorCode.NOT_FOUND, `No unit was found with ${field}.unitId.`, { field: `${field}.unitId` });
    const problem = routedUnitProblem({ kind: unit.kind, parentId: unit.parent?.id ?? null }, keepingUnitId);
    if (problem) throw badInput(`${field}.unitId ${problem}`, `${field}.unitId`);
    return { unit, account: null, scopeUnit: unit.id, deadline: needsDeadline ? deadline : null, label: unit.shortName };
  }
  const account = await lockAssigneeAccount(em, keyOf('Account', a.accountId!, `${field}.accountId`));
  if (account) await em.populate(account, ['unit']);
  if (!account || account.status !== AccountStatus.ACTIVE)
    throw new AppError(ErrorCode.NOT_FOUND, `No active account was found with ${field}.accountId.`, { field: `${field}.accountId` });
  const keeping = account.unit.kind === UnitKind.DEPARTMENT ? account.unit.parent?.id : account.unit.id;
  if (keeping !== keepingUnitId) throw badInput(`${field}.accountId must be a person of the unit that keeps this document.`, `${field}.accountId`);
  return { unit: null, account, scopeUnit: account.unit.id, deadline: needsDeadline ? deadline : null, label: account.fullName };
}

/** What the derivation of a document's state needs of one assignment. */
export const assignmentFacts = (a: Assignment) => ({ role: a.role, state: a.state, topLevel: !a.parent, handled: a.returnHandled });

/** Re-derives a locked document's state from its assignments; returns the states before and after. */
export async function rederive(em: EntityManager, doc: IncomingDocument): Promise<{ from: IncomingState; to: IncomingState }> {
  const from = doc.state;
  const all = await em.find(Assignment, { document: doc.id });
  const to = deriveDocumentState(all.map(assignmentFacts));
  doc.state = to;
  return { from, to };
}

/** The director's direction: the instruction, one lead, any cooperating and informed units or people, with deadlines. */
export async function assignDocument(ctx: Context, id: string, input: AssignInput): Promise<IncomingDocument> {
  const viewer = requireViewer(ctx);
  const instruction = text(input.instruction, 'input.instruction', METADATA_LIMITS.instruction, true)!;
  const found = await findFor(ctx, id, 'assign');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from } = step(doc, 'assign');
    const k = doc.keepingUnit.id;
    const wanted: Array<[AssignmentRole, ResolvedAssignee]> = [];
    if (input.lead) wanted.push([AssignmentRole.LEAD, await resolveAssignee(tx, input.lead, 'input.lead', k, true)]);
    else if (!input.informed?.length || input.cooperating?.length) {
      throw badInput('Name a lead (chủ trì); only a document sent for information (informed, no cooperating) goes without one.', 'input.lead');
    }
    for (const [i, c] of (input.cooperating ?? []).entries())
      wanted.push([AssignmentRole.COOPERATE, await resolveAssignee(tx, c, `input.cooperating[${i}]`, k, true)]);
    for (const [i, c] of (input.informed ?? []).entries()) wanted.push([AssignmentRole.INFORM, await resolveAssignee(tx, c, `input.informed[${i}]`, k, false)]);
    if (wanted.length > 100) throw badInput('At most 100 assignees at once.', 'input');
    const seen = new Set<string>();
    for (const [, a] of wanted) {
      const key = a.unit ? `u:${a.unit.id}` : `a:${a.account!.id}`;
      if (seen.has(key)) throw badInput(`${a.label} is named more than once.`, 'input');
      seen.add(key);
    }
    const superseded = { $in: [AssignmentState.RETURNED, AssignmentState.WITHDRAWN] };
    await em.nativeUpdate(Assignment, { document: doc.id, parent: null, state: superseded }, { returnHandled: true });
    const created = wanted.map(([role, a]) =>
      em.create(Assignment, {
        document: doc,
        role,
        assigneeUnit: a.unit,
        assignee: a.account,
        scopeUnit: a.scopeUnit,
        assignedBy: viewer.accountId,
        instruction,
        deadline: a.deadline,
        state: AssignmentState.PENDING,
        createdAt: ctx.app.clock.now(),
      }),
    );
    await em.flush();
    await sendUnitCopies(tx, doc, created);
    doc.state = deriveDocumentState([
      ...(await em.find(Assignment, { document: doc.id, id: { $nin: created.map((c) => c.id) } }, { refresh: true })).map(assignmentFacts),
      ...created.map(assignmentFacts),
    ]);
    const lead = input.lead ? wanted[0][1] : null;
    const who = lead ? `chủ trì: ${lead.label}${lead.deadline ? `, hạn ${lead.deadline}` : ''}` : `để biết: ${wanted.map(([, a]) => a.label).join(', ')}`;
    recordEvent(tx, doc, RoutingEventKind.ASSIGNED, from, doc.state, `${instruction} — ${who}`);
    return doc;
  });
}

/** receiveDocument with an idempotency key: a retry returns the document the first call received. */
export function receiveDocumentOnce(ctx: Context, input: ReceiveInput, key?: string | null): Promise<IncomingDocument> {
  return once(
    ctx,
    key,
    'receiveDocument',
    (c) => receiveDocument(c, input),
    (c, id) => findReadable(c, toGlobalId('IncomingDocument', id)),
  );
}

/** registerDocument with an idempotency key: a retry returns the same number and takes no other. */
export function registerDocumentOnce(ctx: Context, id: string, key?: string | null): Promise<IncomingDocument> {
  return once(
    ctx,
    key,
    'registerDocument',
    (c) => registerDocument(c, id),
    (c, docId) => findReadable(c, toGlobalId('IncomingDocument', docId)),
  );
}
