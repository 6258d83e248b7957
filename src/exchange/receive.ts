/**
 * Receiving from the document exchange (liên thông): a peer's message checked before its body is read,
 * packages, recalls and status messages accepted into the agencies they are addressed to, and the
 * same for an .edxml file a clerk brings by hand. Sending is in exchange.service.ts and the outbox.
 */
import { type Hmac } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Correspondent, DocumentAttachment, IncomingDocument, StoredFile, Unit } from '../../entities';
import type { AppServices, Context } from '../context';
import { Role } from '../domain/accounts/account-rules';
import { ArrivalChannel, Direction, RoutingEventKind, Urgency } from '../domain/documents/document-enums';
import { BusinessDocType, EdxmlProblem, PRIORITIES, type DocumentPackage, type ReceivedAttachment } from '../domain/exchange/edxml';
import { EXCHANGE_HEADERS, macProblem, signatureHeaderProblem, signingMac } from '../domain/exchange/delivery';
import { IncomingState } from '../domain/incoming/routing';
import { AppError, ErrorCode } from '../errors';
import { verifiedFileTypeOfFile } from '../domain/files/office';
import { sniffFileType } from '../domain/files/sniff';
import { nameCharacterProblem } from '../domain/text/normalise';
import { readSpool, type ReceivedFile, type Spool, type SpooledMessage } from './edxml-intake';
import { storeReceivedFile } from '../services/file.service';
import { checkReceived, recordReceived } from '../services/signature-check';
import { requireViewer } from '../services/guards';
import { withTransaction, type Tx } from '../transaction';
import { recordEvent } from '../services/history';
import { NOTHING_REPORTED_YET } from './outbox';
import { hostedAgencies, organIdOf, viewerAgencyId, type HostedAgency } from '../services/agencies';
import { typeForPackage } from '../services/document-types';

import { ORGAN_ID_PATTERN } from '../domain/units/unit-rules';
import { openSecret } from './exchange.service';
import { checkedText, refuse } from './refusal';
import { acceptRecall, acceptStatus, type Acceptance } from './peer-status';

export type { Acceptance };

function refusalOf(e: unknown): never {
  if (e instanceof EdxmlProblem) {
    const code =
      e.code === 'MALFORMED_PACKAGE'
        ? ErrorCode.MALFORMED_PACKAGE
        : e.code === 'ATTACHMENT_HASH_MISMATCH'
          ? ErrorCode.ATTACHMENT_HASH_MISMATCH
          : ErrorCode.CLASSIFIED_DOCUMENT_REFUSED;
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
  const candidates = ORGAN_ID_PATTERN.test(from)
    ? await em.find(Correspondent, { organId: from, secretCipher: { $ne: null } }, { populate: ['secretCipher'], orderBy: { createdAt: 'asc' } })
    : [];
  if (!candidates.length)
    throw refuse(
      401,
      ErrorCode.UNKNOWN_PEER,
      `No peer with the identifier "${from.slice(0, 20)}" is configured here: ask this agency's clerk to add you as a correspondent with an exchange secret.`,
    );
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
  if (!match)
    throw refuse(
      401,
      ErrorCode.UNKNOWN_PEER,
      `The agency you address (${addressees.map((a) => a.organId).join(', ')}) has not configured you as a peer with this secret: ask its clerk to add you as a correspondent with an exchange secret.`,
    );
  return acceptPackage(app, m.em, match.peer!, message, match.agency.unit, { reportToSender: true, uploaderId: null });
}

/** The agencies hosted here that a package is addressed to (To/OrganId); refused when there are none. */
async function addresseesOf(app: AppServices, em: EntityManager, p: { to: { organId: string }[] }): Promise<HostedAgency[]> {
  const hosted = await hostedAgencies(em, app.config);
  const addressees = hosted.filter((a) => p.to.some((t) => t.organId === a.organId));
  if (!addressees.length)
    throw refuse(422, ErrorCode.WRONG_RECIPIENT, `The package is not addressed to an agency of this deployment (${hosted.map((a) => a.organId).join(', ')}).`);
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
    const online = await ctx.em.count(IncomingDocument, {
      direction: Direction.INCOMING,
      keepingUnit: viewer.keepingUnitId,
      exchangeDocumentId: message.documentId,
      createdBy: null,
    });
    if (online)
      throw refuse(422, ErrorCode.FORBIDDEN, 'This document arrived online from its sender; only the sender’s own recall over the exchange withdraws it.');
  }
  const em = ctx.em.fork();
  const agencyId = await viewerAgencyId(ctx);
  if (viewer.keepingUnitId !== agencyId) throw new AppError(ErrorCode.FORBIDDEN, 'Documents from other agencies are received by the clerk of the agency.');
  const peer = await em.findOne(Correspondent, { agency: agencyId, organId: message.from.organId });
  if (!peer)
    throw refuse(
      422,
      ErrorCode.UNKNOWN_PEER,
      `The sender ${message.from.organName} (${message.from.organId}) is not among the correspondents: add it first (createCorrespondent), then upload the file again.`,
    );
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

const URGENCY: Record<(typeof PRIORITIES)[number], Urgency> = {
  NORMAL: Urgency.NORMAL,
  URGENT: Urgency.URGENT,
  VERY_URGENT: Urgency.VERY_URGENT,
  FLASH: Urgency.FLASH,
};

/**
 * The package's texts and attachments, every one checked before anything is kept (a refused package
 * leaves nothing behind); returns the subject as it is kept.
 */
async function checkedContents(app: AppServices, p: DocumentPackage<ReceivedAttachment<ReceivedFile>>): Promise<string> {
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
  for (const a of p.attachments) {
    if (a.size > app.config.maxUploadBytes) throw refuse(413, ErrorCode.FILE_TOO_LARGE, `${a.name}: the attachment is larger than this system accepts.`);
    const hidden = nameCharacterProblem(a.name ?? '');
    if (hidden)
      throw refuse(
        422,
        ErrorCode.MALFORMED_PACKAGE,
        `An attachment's name contains an invisible, direction-changing or control character (${hidden}): the sender must rename it.`,
      );
    if (!(await verifiedFileTypeOfFile(a.sink.file, a.sink.sniff, sniffFileType(a.sink.sniff))))
      throw refuse(422, ErrorCode.UNSUPPORTED_FILE_TYPE, `${a.name}: this kind of file is not accepted (PDF, PNG, JPEG, TIFF, DOC/DOCX, XLS/XLSX or ODT).`);
  }
  return subject;
}

/** A package for `agency` (one of those it is addressed to), from its correspondent `peer`. */
async function acceptPackage(
  app: AppServices,
  em: EntityManager,
  peer: Correspondent,
  p: DocumentPackage<ReceivedAttachment<ReceivedFile>>,
  agency: Unit,
  opts: { reportToSender: boolean; uploaderId: string | null },
): Promise<Acceptance> {
  if (p.businessDocType === BusinessDocType.RECALL) return acceptRecall(app, em, peer, p, agency);
  if (p.businessDocType !== BusinessDocType.NEW) {
    throw refuse(
      422,
      ErrorCode.MALFORMED_PACKAGE,
      'Updates and replacements (BussinessDocType 2, 3) are not taken here: recall the document and send the new one.',
    );
  }
  const duplicate = await alreadyReceived(em, p, agency);
  if (duplicate) return duplicate;
  const subject = await checkedContents(app, p);
  const signatures = await checkReceived(
    app,
    p.attachments.map((a) => ({ file: a.sink.file, isPdf: sniffFileType(a.sink.sniff) === 'application/pdf' })),
  );
  try {
    return await withTransaction({ app, em, viewer: undefined }, (tx) => receiveCopy(tx, peer, p, agency, opts, { subject, signatures }));
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

/**
 * The copy already received here under the package's DocumentId: DUPLICATE when it holds the same
 * files; refused when it holds others (the same DocumentId with other files is not the same document:
 * say so rather than keep quiet); null when there is none.
 */
async function alreadyReceived(em: EntityManager, p: DocumentPackage<ReceivedAttachment<ReceivedFile>>, agency: Unit): Promise<Acceptance | null> {
  const existing = await em.findOne(IncomingDocument, { direction: Direction.INCOMING, keepingUnit: agency.id, exchangeDocumentId: p.documentId });
  if (!existing) return null;
  const held = (await em.find(DocumentAttachment, { document: existing.id }, { populate: ['file'], orderBy: { ordinal: 'asc' } })).map((x) => x.file.sha256);
  if (held.join() !== p.attachments.map((x) => x.sha256).join()) {
    throw refuse(
      422,
      ErrorCode.ALREADY_EXISTS,
      `A document with DocumentId ${p.documentId} was already received here with other files. If this one replaces it, recall the first and send it under a new number.`,
    );
  }
  return { status: 'DUPLICATE', documentId: p.documentId, incomingId: existing.id };
}

/** In the transaction: the attachments moved into the store, the incoming document RECEIVED in the agency, its event. */
async function receiveCopy(
  tx: Tx<Pick<Context, 'app' | 'em' | 'viewer'>>,
  peer: Correspondent,
  p: DocumentPackage<ReceivedAttachment<ReceivedFile>>,
  agency: Unit,
  opts: { reportToSender: boolean; uploaderId: string | null },
  checked: { subject: string; signatures: Awaited<ReturnType<typeof checkReceived>> },
): Promise<Acceptance> {
  const { em, app } = tx;
  const now = app.clock.now();
  // Each attachment is already on disk, decoded and hashed: it is renamed into the store.
  const files: StoredFile[] = [];
  for (const a of p.attachments)
    files.push(
      await storeReceivedFile(em, app.config, { tempPath: a.sink.file, size: a.size, sha256: a.sha256, sniffBytes: a.sink.sniff }, a.name, opts.uploaderId),
    );
  const type = await typeForPackage(em, p.documentTypeCode, p.documentTypeName, now);
  const doc = em.create(IncomingDocument, {
    direction: Direction.INCOMING,
    documentType: type,
    number: p.codeNumber,
    symbol: p.codeNotation,
    issuedDate: p.promulgationDate,
    issuer: p.from.organName.slice(0, 200),
    subject: checked.subject,
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
  files.forEach((file, i) => em.create(DocumentAttachment, { document: doc, file, ordinal: i + 1 }));
  recordReceived(em, app, files, checked.signatures);
  recordEvent(tx, doc, RoutingEventKind.RECEIVED, null, IncomingState.RECEIVED, `Liên thông từ ${p.from.organName}: ${p.codeNumber}/${p.codeNotation}`);
  await em.flush();
  return { status: 'ACCEPTED', documentId: p.documentId, incomingId: doc.id };
}
