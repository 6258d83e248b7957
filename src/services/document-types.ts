import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentType } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { DOCUMENT_TYPE_LIMITS, DocumentTypeOrigin, abbreviationProblem, receivedTypeCode } from '../domain/reference/document-types';
import { AppError, ErrorCode, badInput } from '../errors';
import { authorize, requireViewer } from './guards';
import { text } from './input-checks';

/**
 * Document types as data (loại văn bản): NĐ 30/2020 Phụ lục III by default, added, renamed and
 * retired by the SYSADMIN, and kept as received when a package brings an unknown one. A type is never
 * deleted — documents keep theirs —, its code never changes (documents and inputs name it); a retired
 * type is not offered or accepted for new drafts.
 */

export interface DocumentTypeInput {
  code?: string | null;
  name?: string | null;
  abbreviation?: string | null;
}

const notFound = (code: string) => new AppError(ErrorCode.NOT_FOUND, `No document type has the code ${code}.`, { field: 'code' });
const byName = (em: EntityManager, name: string) => em.findOne(DocumentType, { name: { $ilike: name.replace(/[\\%_]/g, (c) => '\\' + c) } });

/** The types, Công văn last; retired ones only when asked. */
export async function listDocumentTypes(ctx: Context, includeRetired = false): Promise<DocumentType[]> {
  authorize(ctx, 'read', 'DocumentType');
  const types = await ctx.em.find(DocumentType, includeRetired ? {} : { retiredAt: null }, { orderBy: { name: 'asc' } });
  return types.sort((a, b) => Number(a.code === 'CV') - Number(b.code === 'CV'));
}

async function checkName(em: EntityManager, value: string | null | undefined, field: string, except?: string): Promise<string> {
  const name = text(value?.trim(), field, DOCUMENT_TYPE_LIMITS.name, true)!;
  const same = await byName(em, name);
  if (same && same.code !== except) throw new AppError(ErrorCode.ALREADY_EXISTS, `The document type ${same.code} is already called ${same.name}.`, { field });
  return name;
}

async function checkAbbreviation(em: EntityManager, value: string | null | undefined, field: string, except?: string): Promise<string | null> {
  if (value === null || value === undefined || value === '') return null;
  const problem = abbreviationProblem(value, field);
  if (problem) throw badInput(problem, field);
  const same = await em.findOne(DocumentType, { abbreviation: value, code: { $ne: except ?? '' } });
  if (same) {
    const message = `The document type ${same.name} already uses the abbreviation ${value}: symbols would not tell them apart.`;
    throw new AppError(ErrorCode.ALREADY_EXISTS, message, { field });
  }
  return value;
}

/** The SYSADMIN adds a type: a code (letters and digits), a name, and the abbreviation written into symbols (none: like Công văn). */
export async function createDocumentType(ctx: Context, input: DocumentTypeInput): Promise<DocumentType> {
  requireViewer(ctx);
  authorize(ctx, 'create', 'DocumentType');
  const code = text(input.code?.trim(), 'input.code', DOCUMENT_TYPE_LIMITS.code, true)!;
  const problem = abbreviationProblem(code, 'input.code');
  if (problem) throw badInput(problem, 'input.code');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    // One administrator at a time: the checks below and the insert see the same list.
    await em.execute('lock table "document_type" in share row exclusive mode');
    if (await em.findOne(DocumentType, { code })) {
      throw new AppError(ErrorCode.ALREADY_EXISTS, `A document type with the code ${code} already exists.`, { field: 'input.code' });
    }
    const name = await checkName(em, input.name, 'input.name');
    const abbreviation = await checkAbbreviation(em, input.abbreviation, 'input.abbreviation');
    const type = em.create(DocumentType, { code, name, abbreviation, origin: DocumentTypeOrigin.ADDED, retiredAt: null });
    ctx.app.log.info({ code, name, abbreviation, by: ctx.viewer!.accountId }, 'document type added');
    return type;
  });
}

/** Renames a type or changes its abbreviation. Issued documents keep the symbol they were given. */
export async function updateDocumentType(ctx: Context, code: string, input: DocumentTypeInput): Promise<DocumentType> {
  requireViewer(ctx);
  authorize(ctx, 'update', 'DocumentType');
  if (input.name === undefined && input.abbreviation === undefined) throw badInput('Give a new name or abbreviation.', 'input');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await em.execute('lock table "document_type" in share row exclusive mode');
    const type = await em.findOne(DocumentType, { code });
    if (!type) throw notFound(code);
    if (input.name !== undefined) type.name = await checkName(em, input.name, 'input.name', type.code);
    if (input.abbreviation !== undefined) type.abbreviation = await checkAbbreviation(em, input.abbreviation, 'input.abbreviation', type.code);
    ctx.app.log.info({ code, name: type.name, abbreviation: type.abbreviation, by: ctx.viewer!.accountId }, 'document type changed');
    return type;
  });
}

/** Retires a type (no longer offered for new drafts), or brings a retired one back. */
export async function setDocumentTypeRetired(ctx: Context, code: string, retired: boolean): Promise<DocumentType> {
  requireViewer(ctx);
  authorize(ctx, 'update', 'DocumentType');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const type = await em.findOne(DocumentType, { code }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!type) throw notFound(code);
    if (Boolean(type.retiredAt) === retired) {
      const step = retired ? 'retire' : 'reinstate';
      throw new AppError(ErrorCode.INVALID_TRANSITION, `The document type ${code} is ${retired ? 'already retired' : 'not retired'}.`, { step });
    }
    type.retiredAt = retired ? ctx.app.clock.now() : null;
    ctx.app.log.info({ code, retired, by: ctx.viewer!.accountId }, 'document type retired or reinstated');
    return type;
  });
}

/**
 * The type of a new draft or of a new version: known and not retired (DOCUMENT_TYPE_RETIRED), except
 * that a draft already of a type retired since keeps it (`current`).
 */
export async function draftableType(em: EntityManager, code: string | null | undefined, field: string, current?: string): Promise<DocumentType> {
  const type = await em.findOne(DocumentType, { code: text(code, field, DOCUMENT_TYPE_LIMITS.code, true)! });
  if (!type) throw badInput(`${field} is not a known document type (QĐ, TB, GM, BC… or CV for Công văn; see documentTypes).`, field);
  if (type.retiredAt && type.code !== current) {
    const message = `${type.name} (${type.code}) is retired: it is not used for new drafts. Choose another type.`;
    throw new AppError(ErrorCode.DOCUMENT_TYPE_RETIRED, message, { field });
  }
  return type;
}

/**
 * The type of a received package (edXML DocumentType Type and TypeName): the type with that code,
 * else the one with that name; else a new type kept as received — its name, its code when usable
 * (else the name's initials), retired for drafting until a SYSADMIN decides otherwise. Never Công văn
 * by default. Inside the receiving transaction; a package bringing the same new type at the same
 * moment finds the row the other wrote.
 */
export async function typeForPackage(em: EntityManager, receivedCode: string, receivedName: string, now: Date): Promise<DocumentType> {
  const code = receivedCode.trim();
  const name = receivedName.trim();
  const known = (code && (await em.findOne(DocumentType, { code }))) || (name && (await byName(em, name))) || null;
  if (known) return known;
  const taken = new Set((await em.find(DocumentType, {}, { fields: ['code'] })).map((t) => t.code));
  const newCode = receivedTypeCode(code, name || code, (c) => taken.has(c));
  const abbreviation = code && !abbreviationProblem(code, 'code') && !(await em.findOne(DocumentType, { abbreviation: code })) ? code : null;
  await em.execute(`insert into "document_type" ("code", "name", "abbreviation", "origin", "retired_at") values (?, ?, ?, ?, ?) on conflict do nothing`, [
    newCode,
    (name || code).slice(0, DOCUMENT_TYPE_LIMITS.name),
    abbreviation,
    DocumentTypeOrigin.RECEIVED,
    now,
  ]);
  return (name ? await byName(em, name) : null) ?? em.findOneOrFail(DocumentType, { code: newCode });
}
