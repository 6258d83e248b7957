import { createCipheriv, createDecipheriv, createHash, randomBytes, type Hmac } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  Correspondent,
  DocumentAttachment,
  DocumentType,
  IncomingDocument,
  OutgoingDocument,
  OutgoingRecipient,
  StoredFile,
  Unit,
} from '../../entities';
import { ExchangeStatus } from '../../entities/ExchangeStatus';
import { ExchangeMessage } from '../../entities/ExchangeMessage';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import { paginate, type Page } from '../graphql/pagination';
import type { AppServices, Context } from '../context';
import { Role } from '../domain/accounts/account-rules';
import { ArrivalChannel, Direction, RoutingEventKind, Urgency } from '../domain/documents/document-enums';
import {
  BusinessDocType,
  EdxmlProblem,
  PRIORITIES,
  buildPackage,
  documentIdOf,
  parseDocumentId,
  sha256Hex,
  type DocumentPackage,
  type ReceivedAttachment,
  type StatusMessage,
} from '../domain/exchange/edxml';
import { EXCHANGE_HEADERS, OutboxState, macProblem, signatureHeaderProblem, signingMac } from '../domain/exchange/delivery';
import { DOCUMENT_WORKFLOW, IncomingState } from '../domain/incoming/routing';
import { OutgoingState } from '../domain/outgoing/workflow';
import { looksLikeLegacyVietnamese } from '../domain/text/legacy-encoding';
import { AppError, ErrorCode } from '../errors';
import { keyOf } from '../graphql/global-id';
import { verifiedFileTypeOfFile } from '../domain/files/office';
import { sniffFileType } from '../domain/files/sniff';
import { invisibleCharacter, nameCharacterProblem } from '../domain/text/normalise';
import { readSpool, type ReceivedFile, type Spool, type SpooledMessage } from './edxml-intake';
import { storeReceivedFile, readStoredBytes } from './file.service';
import { checkReceived, recordReceived } from './signature-check';
import { requireViewer } from './guards';
import { recordEvent } from './history';
import { NOTHING_REPORTED_YET, queueStatusAbout } from './exchange-outbox';
import { findReadableOutgoing } from './outgoing-access';
import { agencyByOrganId, agencyIdOf, hostedAgencies, organIdOf, unitsOfAgency, viewerAgencyId, type HostedAgency } from './agencies';
import { typeForPackage } from './document-types';

/**
 * The document exchange between deployments (liên thông; QĐ 28/2018/QĐ-TTg, TT 10/2016/TT-BTTTT):
 * peers' credentials, the packages this system writes, and what it does with messages it receives
 * (over POST /exchange/messages from a peer, or as an .edxml file a clerk uploads).
 */

// ---------------------------------------------------------------------------------------------
// Peer secrets: kept encrypted with a key derived from this deployment's secret, never sent back.

function secretKey(app: Pick<AppServices, 'config'>): Buffer {
  return createHash('sha256').update(`vpdt exchange secrets\n${app.config.tokenSecret}`).digest();
}

export function sealSecret(app: Pick<AppServices, 'config'>, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(app), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The peer's secret, or null when it cannot be read (the deployment's secret changed: set it again). */
export function openSecret(app: Pick<AppServices, 'config'>, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', secretKey(app), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const ORGAN_ID = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

// ---------------------------------------------------------------------------------------------
// Writing packages.

/** The DocumentId an issued document travels under. */
/**
 * The edXML package of an issued document: to the given peers (or to every outside recipient), with
 * the signed scan and any other attachment base64-encoded and hashed.
 */
export async function packageOf(em: EntityManager, app: Pick<AppServices, 'config' | 'clock'>, doc: OutgoingDocument, opts: { to?: Correspondent[]; businessDocType?: BusinessDocType; reason?: string | null } = {}): Promise<string> {
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const organId = await organIdOf(em, app.config, await agencyIdOf(em, keepingUnit.id));
  const type = await em.findOneOrFail(DocumentType, { code: doc.documentType.code });
  const recipients = await em.find(OutgoingRecipient, { document: doc.id }, { populate: ['unit', 'correspondent'], orderBy: { ordinal: 'asc' } });
  const to = opts.to ?? recipients.filter((r) => r.correspondent?.organId).map((r) => r.correspondent!);
  const attachments = await em.find(DocumentAttachment, { document: doc.id }, { populate: ['file'], orderBy: { ordinal: 'asc' } });
  const replyTo = await em.getConnection().execute<{ exchange_document_id: string }[]>(
    `select d.exchange_document_id from assignment a join document d on d.id = a.document_id where a.reply_document_id = ? and d.exchange_document_id is not null limit 1`,
    [doc.id],
  );
  return buildPackage({
    from: { organId, organName: keepingUnit.name },
    to: to.map((c) => ({ organId: c.organId ?? '', organName: c.name })),
    documentId: doc.exchangeDocumentId ?? documentIdOf(organId, doc),
    codeNumber: doc.number!,
    codeNotation: doc.symbol!,
    place: keepingUnit.name,
    promulgationDate: doc.issuedDate!,
    documentTypeCode: type.code,
    documentTypeName: type.name,
    subject: doc.subject,
    signer: { competence: doc.signatureAuthority ?? '', position: doc.signerPosition ?? '', fullName: doc.signerName ?? '' },
    dueDate: doc.dueDate ?? null,
    toPlaces: recipients.map((r) => (r.unit ? r.unit.name : r.correspondent!.name)),
    priority: doc.urgency,
    securityLevel: 0,
    pageAmount: doc.pageCount ?? null,
    responseFor: replyTo[0]?.exchange_document_id ?? null,
    steeringType: 0,
    businessDocType: opts.businessDocType ?? BusinessDocType.NEW,
    businessDocReason: opts.reason ?? null,
    timestamp: app.clock.now().toISOString(),
    attachments: attachments.map((a) => {
      const bytes = readStoredBytes(app.config.uploadDir, a.file.sha256);
      return { name: a.file.name, contentType: a.file.mimeType, bytes, sha256: sha256Hex(bytes) };
    }),
  });
}

/** `GET /exchange/documents/:id/edxml`: a clerk downloads an issued document as an .edxml file. */
export async function exportEdxml(ctx: Context, id: string, toCorrespondentId?: string | null): Promise<{ fileName: string; xml: string }> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.includes(Role.CLERK)) throw new AppError(ErrorCode.FORBIDDEN, 'Only a clerk (văn thư) downloads documents as .edxml files.');
  const doc = await findReadableOutgoing(ctx, id);
  // An annulled document that had been issued travels as its recall, like a recalled one.
  const withdrawn = doc.state === OutgoingState.RECALLED || (doc.state === OutgoingState.ANNULLED && Boolean(doc.recalledAt));
  if (doc.state !== OutgoingState.ISSUED && !withdrawn) {
    throw new AppError(ErrorCode.INVALID_TRANSITION, 'Only an issued (or recalled) document can be sent as an .edxml file.', { state: doc.state });
  }
  let to: Correspondent[] | undefined;
  if (toCorrespondentId) {
    const c = await ctx.em.findOne(Correspondent, { id: keyOf('Correspondent', toCorrespondentId, 'to'), agency: await viewerAgencyId(ctx) });
    if (!c) throw new AppError(ErrorCode.NOT_FOUND, 'No correspondent was found with this id (?to=).', { field: 'to' });
    to = [c];
  } else {
    const outside = await ctx.em.count(OutgoingRecipient, { document: doc.id, correspondent: { organId: { $ne: null } } });
    if (!outside) throw new AppError(ErrorCode.BAD_USER_INPUT, 'This document has no outside recipient with an identifier (organId): say whom the file is for with ?to=<correspondent id>.', { field: 'to' });
  }
  if (to?.some((c) => !c.organId)) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The correspondent has no identifier (organId): set it before sending an .edxml file.', { field: 'to' });
  // A recalled document travels as its recall (BussinessDocType 1, with the reason).
  const recall = withdrawn;
  const xml = await packageOf(ctx.em, ctx.app, doc, { to, ...(recall ? { businessDocType: BusinessDocType.RECALL, reason: doc.recallReason ?? null } : {}) });
  const fileName = `${recall ? 'thu-hoi-' : ''}${doc.number}-${doc.symbol}`.replace(/[^\p{L}\p{N}._-]+/gu, '-') + '.edxml';
  return { fileName, xml };
}

// ---------------------------------------------------------------------------------------------
// Receiving.

/** What a message did, for the peer's acknowledgement. */
export interface Acceptance {
  status: 'ACCEPTED' | 'DUPLICATE';
  documentId: string;
  /** The incoming document created or found (for a package by hand). */
  incomingId?: string;
}

/** A refusal of a message, with the HTTP status it answers with. */
export class ExchangeRefusal extends AppError {
  constructor(
    readonly httpStatus: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

const refuse = (status: number, code: ErrorCode, message: string) => new ExchangeRefusal(status, code, message);

function refusalOf(e: unknown): never {
  if (e instanceof EdxmlProblem) {
    const code = e.code === 'MALFORMED_PACKAGE' ? ErrorCode.MALFORMED_PACKAGE : e.code === 'ATTACHMENT_HASH_MISMATCH' ? ErrorCode.ATTACHMENT_HASH_MISMATCH : ErrorCode.CLASSIFIED_DOCUMENT_REFUSED;
    throw refuse(code === ErrorCode.MALFORMED_PACKAGE ? 400 : 422, code, e.message);
  }
  throw e;
}

/** A peer's message whose sender and signing headers were checked before its body is read. */
export interface PeerMessage {
  em: EntityManager;
  /** The organ the headers name as the sender. */
  from: string;
  /** Every correspondent of a hosted agency with that identifier and a secret, each with its HMAC. */
  candidates: Array<{ peer: Correspondent; mac: Hmac }>;
  signature: string;
  /** Fed with the body as it arrives (every candidate's HMAC); compared with the signature once it is all there. */
  mac: { update(chunk: Buffer): unknown };
}

/**
 * `POST /exchange/messages`, before the body: the peer is known by the From header and has a
 * secret here, and the message carries a signing time within the window and a signature.
 */
export async function openPeerMessage(app: AppServices, orm: MikroORM, headers: Record<string, string | string[] | undefined>): Promise<PeerMessage> {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const from = header(EXCHANGE_HEADERS.from) ?? '';
  const em = orm.em.fork();
  // One outside organisation may be the correspondent of several agencies hosted here, each with the
  // secret it agreed with it: the signature (checked once the body is in) says which of them it is for.
  const candidates = ORGAN_ID.test(from) ? await em.find(Correspondent, { organId: from, secretCipher: { $ne: null } }, { populate: ['secretCipher'], orderBy: { createdAt: 'asc' } }) : [];
  if (!candidates.length) throw refuse(401, ErrorCode.UNKNOWN_PEER, `No peer with the identifier "${from.slice(0, 20)}" is configured here: ask this agency's clerk to add you as a correspondent with an exchange secret.`);
  const timestamp = header(EXCHANGE_HEADERS.timestamp);
  const signature = header(EXCHANGE_HEADERS.signature);
  const problem = signatureHeaderProblem(timestamp, signature, Date.now());
  if (problem) throw refuse(401, ErrorCode.UNKNOWN_PEER, problem);
  const signing: PeerMessage['candidates'] = [];
  for (const peer of candidates) {
    const secret = openSecret(app, peer.secretCipher!);
    if (secret) signing.push({ peer, mac: signingMac(secret, from, Number(timestamp)) });
  }
  if (!signing.length) throw refuse(401, ErrorCode.UNKNOWN_PEER, 'The secret configured for your agency cannot be read here: ask this agency to set it again.');
  return {
    em,
    from,
    candidates: signing,
    signature: signature!,
    mac: {
      update(chunk: Buffer) {
        for (const c of signing) c.mac.update(chunk);
        return this;
      },
    },
  };
}

/**
 * `POST /exchange/messages`, once the body is on disk: the peer proves itself with the secret it
 * agreed with one of the agencies hosted here (the HMACs fed while the body arrived); the message
 * must come from the organ it claims in its header, and a package reaches the agency it addresses.
 */
export async function acceptFromPeer(app: AppServices, m: PeerMessage, spool: Spool): Promise<Acceptance> {
  const signedFor = m.candidates.filter((c) => !macProblem(c.mac.digest('hex'), m.signature)).map((c) => c.peer);
  if (!signedFor.length) throw refuse(401, ErrorCode.UNKNOWN_PEER, 'The signature does not match the secret configured for this peer.');
  const message = await readMessage(app, spool);
  if (message.from.organId !== m.from) throw refuse(400, ErrorCode.MALFORMED_PACKAGE, 'The message’s From/OrganId is not the agency that signed it.');
  if (message.kind === 'STATUS') return acceptStatus(app, m.em, signedFor, message);
  const addressees = await addresseesOf(app, m.em, message);
  const match = addressees.map((a) => ({ agency: a, peer: signedFor.find((c) => c.agency.id === a.unit.id) })).find((x) => x.peer);
  if (!match) throw refuse(401, ErrorCode.UNKNOWN_PEER, `The agency you address (${addressees.map((a) => a.organId).join(', ')}) has not configured you as a peer with this secret: ask its clerk to add you as a correspondent with an exchange secret.`);
  return acceptPackage(app, m.em, match.peer!, message, match.agency.unit, { reportToSender: true, uploaderId: null });
}

/** The agencies hosted here that a package is addressed to (To/OrganId); refused when there are none. */
async function addresseesOf(app: AppServices, em: EntityManager, p: { to: { organId: string }[] }): Promise<HostedAgency[]> {
  const hosted = await hostedAgencies(em, app.config);
  const addressees = hosted.filter((a) => p.to.some((t) => t.organId === a.organId));
  if (!addressees.length) throw refuse(422, ErrorCode.WRONG_RECIPIENT, `The package is not addressed to an agency of this deployment (${hosted.map((a) => a.organId).join(', ')}).`);
  return addressees;
}

/** Upload by hand (`POST /exchange/import`): a clerk brings an .edxml file received by other means. */
export async function importEdxml(ctx: Context, spool: Spool): Promise<Acceptance> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.includes(Role.CLERK)) throw new AppError(ErrorCode.FORBIDDEN, 'Only a clerk (văn thư) receives documents from .edxml files.');
  const message = await readMessage(ctx.app, spool);
  if (message.kind !== 'PACKAGE') throw refuse(400, ErrorCode.MALFORMED_PACKAGE, 'This file is a status message, not a document package.');
  if (message.businessDocType === BusinessDocType.RECALL) {
    // A recall by hand only reaches a copy that came by hand: what arrived signed by the peer is recalled by the peer.
    const online = await ctx.em.count(IncomingDocument, { direction: Direction.INCOMING, keepingUnit: viewer.keepingUnitId, exchangeDocumentId: message.documentId, createdBy: null });
    if (online) throw refuse(422, ErrorCode.FORBIDDEN, 'This document arrived online from its sender; only the sender’s own recall over the exchange withdraws it.');
  }
  const em = ctx.em.fork();
  const agencyId = await viewerAgencyId(ctx);
  if (viewer.keepingUnitId !== agencyId) throw new AppError(ErrorCode.FORBIDDEN, 'Documents from other agencies are received by the clerk of the agency.');
  const peer = await em.findOne(Correspondent, { agency: agencyId, organId: message.from.organId });
  if (!peer) throw refuse(422, ErrorCode.UNKNOWN_PEER, `The sender ${message.from.organName} (${message.from.organId}) is not among the correspondents: add it first (createCorrespondent), then upload the file again.`);
  const agency = (await addresseesOf(ctx.app, em, message)).find((a) => a.unit.id === agencyId);
  if (!agency) throw refuse(422, ErrorCode.WRONG_RECIPIENT, `The package is not addressed to your agency (${await organIdOf(em, ctx.app.config, agencyId)}).`);
  // Statuses go back only to a sender the exchange can reach.
  const reportToSender = peer.isExchangePeer();
  return acceptPackage(ctx.app, em, peer, message, agency.unit, { reportToSender, uploaderId: viewer.accountId });
}

/** Reads a spooled message in pieces (see edxml-intake): its attachments are in files beside it. */
async function readMessage(app: AppServices, spool: Spool): Promise<SpooledMessage> {
  if (spool.size > app.config.exchange.maxMessageBytes) throw refuse(413, ErrorCode.FILE_TOO_LARGE, 'The edXML message is larger than this system accepts.');
  try {
    return await readSpool(spool);
  } catch (e) {
    return refusalOf(e);
  }
}

function checkedText(value: string, field: string): string {
  if (looksLikeLegacyVietnamese(value)) throw refuse(422, ErrorCode.LEGACY_ENCODING_REFUSED, `${field} looks like TCVN3 (ABC) or VNI text: the sender must convert it to Unicode (TCVN 6909:2001).`);
  const hidden = invisibleCharacter(value);
  if (hidden) throw refuse(422, ErrorCode.MALFORMED_PACKAGE, `${field} contains an invisible or direction-changing character (${hidden}): the sender must remove it.`);
  return value;
}

const URGENCY: Record<(typeof PRIORITIES)[number], Urgency> = { NORMAL: Urgency.NORMAL, URGENT: Urgency.URGENT, VERY_URGENT: Urgency.VERY_URGENT, FLASH: Urgency.FLASH };

/** A package for `agency` (one of those it is addressed to), from its correspondent `peer`. */
async function acceptPackage(app: AppServices, em: EntityManager, peer: Correspondent, p: DocumentPackage<ReceivedAttachment<ReceivedFile>>, agency: Unit, opts: { reportToSender: boolean; uploaderId: string | null }): Promise<Acceptance> {
  const copyOf = () => em.findOne(IncomingDocument, { direction: Direction.INCOMING, keepingUnit: agency.id, exchangeDocumentId: p.documentId });
  if (p.businessDocType === BusinessDocType.RECALL) return acceptRecall(app, em, peer, p, agency);
  if (p.businessDocType !== BusinessDocType.NEW) {
    throw refuse(422, ErrorCode.MALFORMED_PACKAGE, 'Updates and replacements (BussinessDocType 2, 3) are not taken here: recall the document and send the new one.');
  }
  const existing = await copyOf();
  if (existing) {
    // The same DocumentId with other files is not the same document: say so rather than keep quiet.
    const held = (await em.find(DocumentAttachment, { document: existing.id }, { populate: ['file'], orderBy: { ordinal: 'asc' } })).map((x) => x.file.sha256);
    if (held.join() !== p.attachments.map((x) => x.sha256).join()) {
      throw refuse(422, ErrorCode.ALREADY_EXISTS, `A document with DocumentId ${p.documentId} was already received here with other files. If this one replaces it, recall the first and send it under a new number.`);
    }
    return { status: 'DUPLICATE', documentId: p.documentId, incomingId: existing.id };
  }

  const subject = checkedText(p.subject, 'Subject');
  for (const [v, f] of [
    [p.from.organName, 'From/OrganName'],
    [p.signer.fullName, 'SignerInfo/FullName'],
    [p.signer.position, 'SignerInfo/Position'],
  ] as const)
    checkedText(v, f);
  // A package must say what it is: an unknown type is kept as received, never turned into a Công văn.
  if (!p.documentTypeCode.trim() && !p.documentTypeName.trim()) {
    throw refuse(422, ErrorCode.MALFORMED_PACKAGE, 'MessageHeader/DocumentType must give Type or TypeName.');
  }
  checkedText(p.documentTypeName, 'DocumentType/TypeName');
  // Every attachment is checked before any is kept: a refused package leaves nothing behind.
  for (const a of p.attachments) {
    if (a.size > app.config.maxUploadBytes) throw refuse(413, ErrorCode.FILE_TOO_LARGE, `${a.name}: the attachment is larger than this system accepts.`);
    const hidden = nameCharacterProblem(a.name ?? '');
    if (hidden) throw refuse(422, ErrorCode.MALFORMED_PACKAGE, `An attachment's name contains an invisible, direction-changing or control character (${hidden}): the sender must rename it.`);
    if (!(await verifiedFileTypeOfFile(a.sink.file, a.sink.sniff, sniffFileType(a.sink.sniff)))) throw refuse(422, ErrorCode.UNSUPPORTED_FILE_TYPE, `${a.name}: this kind of file is not accepted (PDF, PNG, JPEG, TIFF, DOC/DOCX, XLS/XLSX or ODT).`);
  }
  const signatures = await checkReceived(app, p.attachments.map((a) => ({ file: a.sink.file, isPdf: sniffFileType(a.sink.sniff) === 'application/pdf' })));
  const now = app.clock.now();
  const ctx = { app, viewer: undefined };
  try {
    return await em.transactional(async (tx) => {
      // Each attachment is already on disk, decoded and hashed: it is renamed into the store.
      const files: StoredFile[] = [];
      for (const a of p.attachments) files.push(await storeReceivedFile(tx, app.config, { tempPath: a.sink.file, size: a.size, sha256: a.sha256, sniffBytes: a.sink.sniff }, a.name, opts.uploaderId));
      const type = await typeForPackage(tx, p.documentTypeCode, p.documentTypeName, now);
      const doc = tx.create(IncomingDocument, {
        direction: Direction.INCOMING,
        documentType: type,
        number: p.codeNumber,
        symbol: p.codeNotation,
        issuedDate: p.promulgationDate,
        issuer: p.from.organName.slice(0, 200),
        subject,
        pageCount: p.pageAmount,
        note: null,
        signerName: p.signer.fullName || null,
        signerPosition: p.signer.position || null,
        urgency: URGENCY[p.priority],
        dueDate: p.dueDate,
        keepingUnit: agency,
        state: IncomingState.RECEIVED,
        createdBy: opts.uploaderId,
        arrivalChannel: ArrivalChannel.ELECTRONIC,
        senderCorrespondent: peer,
        receivedAt: now,
        createdAt: now,
        exchangeDocumentId: p.documentId,
        exchangeStatusSent: opts.reportToSender ? NOTHING_REPORTED_YET : null,
      });
      files.forEach((file, i) => tx.create(DocumentAttachment, { document: doc, file, ordinal: i + 1 }));
      recordReceived(tx, app, files, signatures);
      recordEvent(tx, ctx, doc, RoutingEventKind.RECEIVED, null, IncomingState.RECEIVED, `Liên thông từ ${p.from.organName}: ${p.codeNumber}/${p.codeNotation}`);
      await tx.flush();
      return { status: 'ACCEPTED' as const, documentId: p.documentId, incomingId: doc.id };
    });
  } catch (e) {
    // The bytes written for a package that was not kept stay on disk, unreferenced: removing them here
    // could take them from a concurrent transaction that stores the same content and has not committed.
    // The same package delivered twice at the same moment: the second finds the first.
    if (e instanceof UniqueConstraintViolationException) {
      const first = await em.fork().findOne(IncomingDocument, { direction: Direction.INCOMING, keepingUnit: agency.id, exchangeDocumentId: p.documentId });
      if (first) return { status: 'DUPLICATE', documentId: p.documentId, incomingId: first.id };
    }
    throw e;
  }
}

/** A sender recalls what it sent (BussinessDocType 1): the copy moves to RECALLED and 15 goes back; 16 when there is nothing to recall. */
async function acceptRecall(app: AppServices, em: EntityManager, peer: Correspondent, p: DocumentPackage<unknown>, agency: Unit): Promise<Acceptance> {
  const reason = checkedText(p.businessDocReason ?? '', 'BussinessDocReason');
  return em.transactional(async (tx) => {
    const copy = await tx.findOne(IncomingDocument, { direction: Direction.INCOMING, keepingUnit: agency.id, exchangeDocumentId: p.documentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!copy || copy.senderCorrespondent?.id !== peer.id) {
      queueStatusAbout(tx, peer, p.documentId, '16', 'Không thể thu hồi: văn bản chưa được tiếp nhận tại cơ quan nhận.');
      app.exchange?.wake();
      return { status: 'ACCEPTED' as const, documentId: p.documentId };
    }
    const next = DOCUMENT_WORKFLOW.next(copy.state, 'recall');
    if (!next) return { status: 'DUPLICATE' as const, documentId: p.documentId, incomingId: copy.id };
    const before = copy.state;
    copy.state = next;
    copy.recalledAt = app.clock.now();
    // A copy received by hand from a peer answers the recall too.
    copy.exchangeStatusSent ??= peer.isExchangePeer() ? NOTHING_REPORTED_YET : null;
    recordEvent(tx, { app, viewer: undefined }, copy, RoutingEventKind.RECALLED, before, next, `Thu hồi theo yêu cầu của ${p.from.organName}: ${reason}`);
    return { status: 'ACCEPTED' as const, documentId: p.documentId, incomingId: copy.id };
  });
}

const STATUS_LABELS: Record<string, string> = {
  '01': 'đã đến',
  '02': 'từ chối tiếp nhận',
  '03': 'đã tiếp nhận',
  '04': 'đã phân công',
  '05': 'đang xử lý',
  '06': 'hoàn thành',
  '13': 'yêu cầu thu hồi',
  '15': 'đồng ý thu hồi',
  '16': 'từ chối thu hồi',
};

/** A recipient's status for a document this system sent: kept per recipient, shown live as a routing event. */
async function acceptStatus(app: AppServices, em: EntityManager, signedFor: Correspondent[], s: StatusMessage): Promise<Acceptance> {
  // The DocumentId names the agency that sent the document: the status goes to it, from its own correspondent.
  const id = parseDocumentId(s.responseFor);
  const sender = id ? await agencyByOrganId(em, app.config, id.organId) : null;
  const peer = sender ? signedFor.find((c) => c.agency.id === sender.unit.id) : undefined;
  if (!sender || !peer) throw refuse(422, ErrorCode.NOT_FOUND, 'The status is about a document this agency did not send.');
  return em.transactional(async (tx) => {
    const doc = await tx.findOne(OutgoingDocument, { direction: Direction.OUTGOING, exchangeDocumentId: s.responseFor, keepingUnit: { $in: await unitsOfAgency(tx, sender.unit.id) } });
    const recipient = doc ? await tx.findOne(OutgoingRecipient, { document: doc.id, correspondent: peer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!doc || !recipient) throw refuse(422, ErrorCode.NOT_FOUND, 'The status is about a document this agency did not send to you.');
    // A repeated or late status is taken once: by its sequence, or (from a peer that numbers none) by code and time.
    const seen = s.sequence > 0 ? await tx.count(ExchangeStatus, { recipient: recipient.id, sequence: { $gte: s.sequence } }) : await tx.count(ExchangeStatus, { recipient: recipient.id, code: s.statusCode, at: new Date(s.timestamp) });
    if (seen) return { status: 'DUPLICATE' as const, documentId: s.responseFor };
    tx.create(ExchangeStatus, { recipient, code: s.statusCode, description: s.description, at: new Date(s.timestamp), sequence: s.sequence });
    const label = `${s.statusCode} ${STATUS_LABELS[s.statusCode] ?? ''}`.trim();
    recordEvent(tx, { app, viewer: undefined }, doc, RoutingEventKind.EXCHANGE_STATUS, doc.state, doc.state, `${peer.name}: ${label}${s.description ? ` — ${s.description}` : ''}`);
    return { status: 'ACCEPTED' as const, documentId: s.responseFor };
  });
}

// ---------------------------------------------------------------------------------------------
// The outbox, for those who keep the exchange running.

/** The outbox, newest first, optionally in one state (CLERK or SYSADMIN: metadata only, no content). */
export async function listOutbox(ctx: Context, state: OutboxState | null, first?: number | null, after?: string | null): Promise<Page<ExchangeMessage>> {
  requireViewer(ctx);
  // Only the viewer's agency's messages: those to its own correspondents.
  const agency = await viewerAgencyId(ctx);
  return paginate(ctx.em, ExchangeMessage, state ? { state, correspondent: { agency } } : { correspondent: { agency } }, { key: 'id', first, after, direction: 'desc' });
}

/** Sends a failed or refused message again now; its recipient shows QUEUED again. */
export async function retryMessage(ctx: Context, id: string): Promise<ExchangeMessage> {
  requireViewer(ctx);
  const key = keyOf('ExchangeMessage', id, 'id');
  const agency = await viewerAgencyId(ctx);
  const m = await ctx.em.transactional(async (em) => {
    const own = await em.count(ExchangeMessage, { id: key, correspondent: { agency } });
    const msg = own ? await em.findOne(ExchangeMessage, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!msg) throw new AppError(ErrorCode.NOT_FOUND, 'No exchange message was found with this id.');
    if (msg.state !== OutboxState.FAILED && msg.state !== OutboxState.REFUSED) {
      throw new AppError(ErrorCode.INVALID_TRANSITION, msg.state === OutboxState.ACKNOWLEDGED ? 'The peer acknowledged this message: it is never sent again.' : 'This message is already waiting to be sent.', { from: msg.state, to: OutboxState.QUEUED });
    }
    msg.state = OutboxState.QUEUED;
    msg.nextAttemptAt = new Date();
    msg.claimedUntil = null;
    msg.prepareFailures = 0;
    if (msg.recipient && msg.businessDocType === BusinessDocType.NEW) {
      const recipient = await em.findOneOrFail(OutgoingRecipient, { id: msg.recipient.id });
      recipient.deliveryState = DeliveryState.QUEUED;
      recipient.deliveryError = null;
    }
    return msg;
  });
  ctx.app.exchange?.wake();
  return m;
}

// ---------------------------------------------------------------------------------------------
// What the sender shows per recipient.

/** The latest status a peer reported for its copy, or null. */
export async function latestStatus(em: EntityManager, recipientId: string): Promise<ExchangeStatus | null> {
  return em.findOne(ExchangeStatus, { recipient: recipientId }, { orderBy: { receivedAt: 'desc', sequence: 'desc' } });
}

export function statusHistory(em: EntityManager, recipientId: string): Promise<ExchangeStatus[]> {
  return em.find(ExchangeStatus, { recipient: recipientId }, { orderBy: { receivedAt: 'asc', sequence: 'asc' } });
}
