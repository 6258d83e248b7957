import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { FileSignatureCheck, type StoredFile } from '../../entities';
import type { AppServices } from '../context';
import { checkPdfSignatures } from '../domain/signatures/pdf-signatures';
import { ISSUABLE_VERDICTS, SignatureVerdict, malformedReport, type SignatureReport } from '../domain/signatures/verdict';
import { AppError, ErrorCode } from '../errors';
import { blobPath } from './blob-path';

/**
 * The check of digital signatures on PDFs (issue #19, items 3–4): made when a PDF is uploaded or
 * arrives in an edXML package, stored with the file (FileSignatureCheck), shown in the API on each
 * attachment, and required before issuing. A check runs on a worker thread of its own, at most two at
 * once per process, bounded in time (SIGNATURE_CHECK_TIMEOUT_MS) and heap: a hostile PDF gets a
 * verdict (MALFORMED), never a stuck or crashed server.
 */

const PDF = 'application/pdf';
const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');
const MAX_AT_ONCE = 2;
const HEAP_MB = 512;

let running = 0;
const waiting: Array<() => void> = [];

async function turn<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The compiled worker script: beside this module, or in dist/ when this module runs from its source (tests). */
function workerScript(): string | null {
  const beside = path.join(__dirname, 'signature-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '../../dist/src/services/signature-worker.js');
  return existsSync(built) ? built : null;
}

function onWorker(script: string, job: { bytes?: Buffer; file?: string }, anchors: Buffer[], now: Date, timeoutMs: number): Promise<SignatureReport> {
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  return new Promise<SignatureReport>((resolve) => {
    const timer = setTimeout(() => resolve(malformedReport(`The signatures could not be checked within ${timeoutMs} ms.`)), timeoutMs);
    const done = (r: SignatureReport) => {
      clearTimeout(timer);
      resolve(r);
    };
    worker.once('message', (m: { report?: SignatureReport; failure?: string }) => done(m.report ?? malformedReport('The signatures could not be checked.')));
    worker.once('error', () => done(malformedReport('The signatures could not be checked: the file needs more than a check may take.')));
    worker.once('exit', () => done(malformedReport('The signatures could not be checked.')));
    worker.postMessage({ ...job, anchors, now: now.getTime() });
  }).finally(() => void worker.terminate());
}

const UNSIGNED: SignatureReport = { verdict: SignatureVerdict.NOT_SIGNED, problem: null, signatures: [] };

/** Runs a check on a worker thread (or here, when the compiled worker is not there: tests before a build). */
function run(app: AppServices, job: { bytes?: Buffer; file?: string }): Promise<SignatureReport> {
  const { trustAnchors, checkTimeoutMs } = app.config.signatures;
  const now = app.clock.now();
  const script = workerScript();
  return turn(async () => {
    if (script) return onWorker(script, job, trustAnchors, now, checkTimeoutMs);
    return checkPdfSignatures(job.bytes ?? (await readFile(job.file!)), trustAnchors, now);
  });
}

/** The check of one file's bytes. A PDF without the token /ByteRange anywhere is NOT_SIGNED without further reading. */
export async function checkBytes(app: AppServices, bytes: Buffer): Promise<SignatureReport> {
  if (bytes.indexOf(BYTE_RANGE) === -1) return UNSIGNED;
  return run(app, { bytes });
}

/** Whether a file on disk holds the token /ByteRange, read in pieces (never whole in memory). */
async function mentionsByteRange(file: string): Promise<boolean> {
  let carry = Buffer.alloc(0);
  for await (const piece of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    const window = Buffer.concat([carry, piece as Buffer]);
    if (window.indexOf(BYTE_RANGE) !== -1) return true;
    carry = window.subarray(Math.max(0, window.length - BYTE_RANGE.length + 1));
  }
  return false;
}

/** The check of a file on disk: the worker reads it, so the thread that answers requests never holds it whole. */
export async function checkFile(app: AppServices, file: string): Promise<SignatureReport> {
  if (!(await mentionsByteRange(file))) return UNSIGNED;
  return run(app, { file });
}

/** Stores a check with its file (in `em`, without flushing), replacing an earlier one. */
export function recordCheck(
  em: EntityManager,
  app: AppServices,
  file: StoredFile,
  report: SignatureReport,
  existing?: FileSignatureCheck | null,
): FileSignatureCheck {
  const fields = {
    verdict: report.verdict,
    problem: report.problem?.slice(0, 500) ?? null,
    signatures: report.signatures,
    anchorsDigest: app.config.signatures.anchorsDigest,
    checkedAt: app.clock.now(),
  };
  if (existing) return Object.assign(existing, fields);
  return em.create(FileSignatureCheck, { file, ...fields });
}

/** Checks an uploaded file when it is a PDF and records the check in `em` (not flushed). */
export async function checkUploaded(em: EntityManager, app: AppServices, file: StoredFile, bytes: Buffer): Promise<FileSignatureCheck | null> {
  if (file.mimeType !== PDF) return null;
  return recordCheck(em, app, file, await checkBytes(app, bytes));
}

/**
 * Checks the attachments of a received package, each still in its file beside the message, before the
 * package is kept; `isPdf` says which are PDFs. The reports go to {@link recordReceived} once the files are stored.
 */
export async function checkReceived(app: AppServices, attachments: ReadonlyArray<{ file: string; isPdf: boolean }>): Promise<Array<SignatureReport | null>> {
  const out: Array<SignatureReport | null> = [];
  for (const a of attachments) out.push(a.isPdf ? await checkFile(app, a.file) : null);
  return out;
}

/** Records the checks of a received package's stored files, in order (in `em`, not flushed). */
export function recordReceived(em: EntityManager, app: AppServices, files: StoredFile[], reports: Array<SignatureReport | null>): void {
  files.forEach((f, i) => {
    const r = reports[i];
    if (r) recordCheck(em, app, f, r);
  });
}

const WHY: Record<string, string> = {
  [SignatureVerdict.MODIFIED_AFTER_SIGNING]: 'bytes were added to the file after its last signature',
  [SignatureVerdict.CONTENT_ALTERED]: 'the file was changed after it was signed',
  [SignatureVerdict.UNTRUSTED]: 'the signer’s certificate was not issued by a certification authority this system trusts',
  [SignatureVerdict.CERTIFICATE_EXPIRED]: 'the signer’s certificate was not valid at the time of signing',
  [SignatureVerdict.MALFORMED]: 'the signature cannot be read',
};

/**
 * Before issuing: the signed file's signatures must verify (VALID), or it must carry none (NOT_SIGNED,
 * a scan of the paper signed by hand). A check made under other trust anchors than today's (or none,
 * for a file stored before checks existed) is made again first, and kept. SIGNATURE_INVALID otherwise.
 */
export async function requireIssuableSignatures(em: EntityManager, app: AppServices, file: StoredFile): Promise<void> {
  if (file.mimeType !== PDF) return;
  const fork = em.fork();
  let check = await fork.findOne(FileSignatureCheck, { file: file.id });
  if (!check || check.anchorsDigest !== app.config.signatures.anchorsDigest) {
    const report = await checkFile(app, blobPath(app.config.uploadDir, file.sha256));
    check = recordCheck(fork, app, fork.getReference('StoredFile', file.id) as StoredFile, report, check);
    try {
      await fork.flush();
    } catch (e) {
      // Another request checked the same file at the same moment and kept its result: this one is as good.
      if (!(e instanceof UniqueConstraintViolationException)) throw e;
    }
  }
  if ((ISSUABLE_VERDICTS as string[]).includes(check.verdict)) return;
  const detail = check.problem ?? check.signatures.find((s) => s.problem)?.problem;
  throw new AppError(
    ErrorCode.SIGNATURE_INVALID,
    `The signed file carries a digital signature that does not verify: ${WHY[check.verdict] ?? check.verdict}${detail ? ` (${detail})` : ''}. ` +
      'Upload the file as it came from the signing tool.',
    { verdict: check.verdict, field: 'input.signedFileId' },
  );
}
