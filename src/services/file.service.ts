import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, type ReadStream } from 'node:fs';
import { access, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentAttachment, DraftVersion, StoredFile } from '../../entities';
import type { Context } from '../context';
import { verifiedFileType } from '../domain/files/office';
import { sanitiseFileName, sniffFileType } from '../domain/files/sniff';
import { nameCharacterProblem } from '../domain/text/normalise';
import { AppError, ErrorCode, badInput } from '../errors';
import { anyReadableDocument } from '../repositories/documents';
import { requireViewer } from './guards';
import { blobPath } from './blob-path';
import { checkUploaded } from './signature-check';

export { blobPath };

/**
 * Stores uploaded bytes once per SHA-256 (written to a temporary name, then renamed, so a reader never
 * sees half a file) and records the upload. The type comes from the bytes, not from the name.
 */
export async function storeUpload(ctx: Context, bytes: Buffer, originalName: string | undefined): Promise<StoredFile> {
  const viewer = requireViewer(ctx);
  // A name that reads differently from what it is (a\u202Efdp.exe shows as aexe.pdf) is refused, not cleaned.
  const hidden = nameCharacterProblem((originalName ?? '').normalize('NFC'));
  if (hidden)
    throw badInput(`The file name contains an invisible, direction-changing or control character (${hidden}); rename the file and send it again.`, 'file');
  const file = await storeBytes(ctx.em, ctx.app.config, bytes, originalName, viewer.accountId);
  // A PDF's digital signatures are checked as it arrives, and the verdict kept with it.
  await checkUploaded(ctx.em, ctx.app, file, bytes);
  await ctx.em.flush();
  return file;
}

/**
 * Checks and keeps the bytes of a file (size, type from the bytes — an office file's zip read as such —
 * once per SHA-256) and creates its
 * row in `em` without flushing. `uploaderId` is null for a file that arrived through the exchange.
 */
export async function storeBytes(
  em: EntityManager,
  config: { uploadDir: string; maxUploadBytes: number },
  bytes: Buffer,
  originalName: string | undefined,
  uploaderId: string | null,
): Promise<StoredFile> {
  if (bytes.length > config.maxUploadBytes) throw new AppError(ErrorCode.FILE_TOO_LARGE);
  // Checked before anything is written: a file that is not what it claims leaves no bytes behind.
  const mimeType = await verifiedFileType(bytes, sniffFileType(bytes));
  if (!mimeType) throw new AppError(ErrorCode.UNSUPPORTED_FILE_TYPE);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const target = blobPath(config.uploadDir, sha256);
  if (!existsSync(target)) {
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.part`;
    writeFileSync(tmp, bytes, { mode: 0o640 });
    renameSync(tmp, target);
  }
  return em.create(StoredFile, { sha256, size: bytes.length, mimeType, name: sanitiseFileName(originalName), uploadedBy: uploaderId });
}

/**
 * Keeps a file that was already written to disk and hashed on its way in (an attachment of an edXML
 * package, decoded into `tempPath` under the upload folder): the same checks as {@link storeBytes}, with
 * the type recognised from `sniffBytes`; the file is renamed into the store, or dropped when the
 * store already holds the same content. Creates its row in `em` without flushing.
 */
export async function storeReceivedFile(
  em: EntityManager,
  config: { uploadDir: string; maxUploadBytes: number },
  received: { tempPath: string; size: number; sha256: string; sniffBytes: Buffer },
  originalName: string | undefined,
  uploaderId: string | null,
): Promise<StoredFile> {
  if (received.size > config.maxUploadBytes) throw new AppError(ErrorCode.FILE_TOO_LARGE);
  const mimeType = sniffFileType(received.sniffBytes);
  if (!mimeType) throw new AppError(ErrorCode.UNSUPPORTED_FILE_TYPE);
  const target = blobPath(config.uploadDir, received.sha256);
  // Asynchronous: a busy disk must not hold the event loop.
  if (
    !(await access(target).then(
      () => true,
      () => false,
    ))
  ) {
    await mkdir(path.dirname(target), { recursive: true });
    await rename(received.tempPath, target);
  }
  return em.create(StoredFile, { sha256: received.sha256, size: received.size, mimeType, name: sanitiseFileName(originalName), uploadedBy: uploaderId });
}

/** The bytes of a stored file. */
export function readStoredBytes(uploadDir: string, sha256: string): Buffer {
  return readFileSync(blobPath(uploadDir, sha256));
}

/**
 * A file for the viewer to download: one attached to a document the viewer may read, or the viewer's
 * own upload before it is attached. Anything else is NOT_FOUND, whether or not it exists.
 */
export async function openForDownload(ctx: Context, fileId: string): Promise<{ file: StoredFile; stream: () => ReadStream }> {
  const viewer = requireViewer(ctx);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(fileId))
    throw new AppError(ErrorCode.NOT_FOUND, 'No file was found with this id, or you may not see it.');
  const file = await ctx.em.findOne(StoredFile, { id: fileId });
  const notFound = new AppError(ErrorCode.NOT_FOUND, 'No file was found with this id, or you may not see it.');
  if (!file) throw notFound;
  // Attached to documents, or a version of a draft: readable to whoever may read one of those documents.
  const documentIds = [
    ...(await ctx.em.find(DocumentAttachment, { file: file.id }, { fields: ['document'] })).map((a) => a.document.id),
    ...(await ctx.em.find(DraftVersion, { file: file.id }, { fields: ['document'] })).map((v) => v.document.id),
  ];
  let allowed: boolean;
  if (documentIds.length === 0) allowed = file.uploadedBy?.id === viewer.accountId;
  else allowed = await anyReadableDocument(ctx, documentIds);
  if (!allowed) throw notFound;
  const p = blobPath(ctx.app.config.uploadDir, file.sha256);
  return { file, stream: () => createReadStream(p) };
}

/**
 * Removes uploads that were meant for a refused document: the rows (when nothing references them) and
 * the bytes (when no other upload has the same content).
 */
export async function discardUnattached(em: EntityManager, uploadDir: string, fileIds: string[], uploaderId: string): Promise<void> {
  if (fileIds.length === 0) return;
  const files = await em.find(StoredFile, { id: { $in: fileIds }, uploadedBy: uploaderId });
  for (const f of files) {
    if ((await em.count(DocumentAttachment, { file: f.id })) || (await em.count(DraftVersion, { file: f.id }))) continue;
    await em.nativeDelete(StoredFile, { id: f.id });
    if (!(await em.count(StoredFile, { sha256: f.sha256 }))) {
      try {
        unlinkSync(blobPath(uploadDir, f.sha256));
      } catch {
        /* already gone */
      }
    }
  }
}
