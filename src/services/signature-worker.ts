import { parentPort } from 'node:worker_threads';
import { checkPdfSignatures } from '../domain/signatures/pdf-signatures';

/**
 * The worker thread that checks one PDF's signatures (see `signature-check.ts`): parsing a hostile
 * file, and the garbage it makes, stay off the thread that answers requests, bounded in time and heap.
 */
parentPort?.once('message', (job: { bytes: Uint8Array; anchors: Uint8Array[]; now: number }) => {
  // pdf-lib reports damaged objects on the console; the verdict says what matters.
  console.warn = () => undefined;
  checkPdfSignatures(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.anchors, new Date(job.now)).then(
    (report) => parentPort!.postMessage({ report }),
    (e: unknown) => parentPort!.postMessage({ failure: e instanceof Error ? e.message : String(e) }),
  );
});
