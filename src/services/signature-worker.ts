import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { checkPdfSignatures } from '../domain/signatures/pdf-signatures';

/**
 * The worker thread that checks one PDF's signatures (see `signature-check.ts`): parsing a hostile
 * file, and the garbage it makes, stay off the thread that answers requests, bounded in time and heap.
 */
parentPort?.once('message', (job: { bytes?: Uint8Array; file?: string; anchors: Uint8Array[]; now: number }) => {
  // pdf-lib reports damaged objects on the console; the verdict says what matters.
  console.warn = () => undefined;
  const bytes = job.bytes ? Promise.resolve(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength)) : readFile(job.file!);
  bytes
    .then((b) => checkPdfSignatures(b, job.anchors, new Date(job.now)))
    .then(
      (report) => parentPort!.postMessage({ report }),
      (e: unknown) => parentPort!.postMessage({ failure: e instanceof Error ? e.message : String(e) }),
    );
});
