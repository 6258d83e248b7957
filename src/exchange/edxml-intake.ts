import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EdxmlProblem, type ExchangeMessage, type ReceivedAttachment } from '../domain/exchange/edxml';
import { readMessageStream } from '../domain/exchange/edxml-read';
import type { AttachmentSink } from '../domain/exchange/edxml-scan';

/**
 * How an edXML message is taken in without holding it in memory: the request body goes to a file
 * in a folder of its own under the upload folder (so that kept attachments are renamed into the
 * file store, never copied), counted against the size limit and, for a peer, signed as it passes;
 * then the file is read back in pieces, each attachment decoded straight into a file of its own.
 * Memory stays a few pieces (64 KiB) per message whatever arrives, and the event loop is never held
 * for longer than one piece.
 */

/** A message body kept on disk, in `dir`, which the caller removes with {@link discardSpool}. */
export interface Spool {
  dir: string;
  file: string;
  size: number;
}

/** Why a body could not be taken (too large, or compressed), with the HTTP status to answer. */
export class SpoolRefusal extends Error {
  constructor(
    readonly httpStatus: 413 | 415 | 400,
    message: string,
  ) {
    super(message);
  }
}

/** The bytes of one piece read back from disk. */
const PIECE = 64 * 1024;

/** A folder of its own for one message under `uploadDir` (same file system as the store). */
export async function newSpoolDir(uploadDir: string): Promise<string> {
  const dir = path.join(uploadDir, '.incoming', randomUUID());
  await mkdir(dir, { recursive: true, mode: 0o750 });
  return dir;
}

export async function discardSpool(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Writes the request body to `dir/message.edxml`, refusing more than `maxBytes` (by its announced
 * length before reading, and by what arrives) and compressed bodies; `mac` sees every byte.
 */
export async function spoolBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  dir: string,
  maxBytes: number,
  mac?: { update(chunk: Buffer): unknown },
): Promise<Spool> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  // A small compressed request must not become a large one here.
  if (encoding !== 'identity') throw new SpoolRefusal(415, 'Send the edXML message uncompressed (no Content-Encoding).');
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) throw new SpoolRefusal(413, 'The edXML message is larger than this system accepts.');
  const file = path.join(dir, 'message.edxml');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new SpoolRefusal(413, 'The edXML message is larger than this system accepts.'));
      mac?.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(file, { mode: 0o640 }));
  } catch (e) {
    if (e instanceof SpoolRefusal) throw e;
    throw new SpoolRefusal(400, 'The message could not be read to its end; send it again.');
  }
  return { dir, file, size };
}

/** How much of an attachment's start and end is kept to recognise its type (the rest is only on disk). */
const SNIFF_BYTES = 1024 * 1024;

/** Writes one attachment's decoded bytes to its file, keeping its first and last MiB to recognise its type. */
export class FileSink implements AttachmentSink {
  private queue: Buffer[] = [];
  private handle: FileHandle | null = null;
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private written = 0;

  constructor(readonly file: string) {}

  write(bytes: Buffer): void {
    this.queue.push(bytes);
    this.written += bytes.length;
    if (this.headSize < SNIFF_BYTES) {
      const part = bytes.subarray(0, SNIFF_BYTES - this.headSize);
      this.head.push(part);
      this.headSize += part.length;
    }
    this.tail.push(bytes);
    this.tailSize += bytes.length;
    while (this.tail.length > 1 && this.tailSize - this.tail[0].length >= SNIFF_BYTES) this.tailSize -= this.tail.shift()!.length;
  }

  /** Writes what was decoded since the last flush. */
  async flush(): Promise<void> {
    if (!this.queue.length) return;
    this.handle ??= await open(this.file, 'w', 0o640);
    const pieces = this.queue;
    this.queue = [];
    await this.handle.writev(pieces);
  }

  async close(): Promise<void> {
    await this.flush();
    if (!this.handle) this.handle = await open(this.file, 'w', 0o640);
    await this.handle.close();
    this.handle = null;
  }

  /** The bytes a type is recognised from: the whole file when it is small, else its first and last MiB. */
  sniffBytes(): Buffer {
    if (this.written <= SNIFF_BYTES) return Buffer.concat(this.head);
    return Buffer.concat([...this.head, ...this.tail]);
  }
}

/** An attachment read from a spooled message: its file beside the message, and the bytes its type is told from. */
export interface ReceivedFile {
  file: string;
  sniff: Buffer;
}

export type SpooledMessage = ExchangeMessage<ReceivedAttachment<ReceivedFile>>;

/** Messages at least this large are read on a worker thread; smaller ones (statuses, letters) here. */
const WORKER_FROM_BYTES = 512 * 1024;

/** The compiled worker script: beside this module, or in dist/ when this module runs from its source (tests). */
function workerScript(): string | null {
  const beside = path.join(__dirname, 'edxml-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '../../dist/src/exchange/edxml-worker.js');
  return existsSync(built) ? built : null;
}

/**
 * Reads a spooled message: screened, validated and read as {@link readMessageStream} says, each
 * attachment in a file beside the message. A large message is read on a worker thread of its own
 * (at most as many as messages are read at once, see routes.ts), so neither its work nor its
 * garbage holds the thread that answers requests. Refusals are {@link EdxmlProblem}s.
 */
export async function readSpool(spool: Spool): Promise<SpooledMessage> {
  const script = spool.size >= WORKER_FROM_BYTES ? workerScript() : null;
  if (!script) return readSpoolHere(spool);
  // Its heap is bounded too: what it holds is a few pieces and the header, never an attachment.
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  try {
    const answer = await new Promise<{ message?: SpooledMessage; problem?: { code: EdxmlProblem['code']; message: string }; failure?: string }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the edXML reader stopped (exit ${code})`)));
        worker.postMessage(spool);
      },
    );
    if (answer.problem) throw new EdxmlProblem(answer.problem.code, answer.problem.message);
    if (!answer.message) throw new Error(`the edXML reader failed: ${answer.failure ?? 'no answer'}`);
    const m = answer.message;
    if (m.kind === 'PACKAGE') for (const a of m.attachments) a.sink = { file: a.sink.file, sniff: Buffer.from(a.sink.sniff) };
    return m;
  } finally {
    void worker.terminate();
  }
}

/** {@link readSpool} on this thread. */
export async function readSpoolHere(spool: Spool): Promise<SpooledMessage> {
  const message = await readSpoolSinks(spool);
  if (message.kind !== 'PACKAGE') return message;
  // Plain data (it may cross to another thread): the file and the bytes its type is told from.
  return { ...message, attachments: message.attachments.map((a) => ({ ...a, sink: { file: a.sink.file, sniff: a.sink.sniffBytes() } })) };
}

async function readSpoolSinks(spool: Spool): Promise<ExchangeMessage<ReceivedAttachment<FileSink>>> {
  const sinks: FileSink[] = [];
  const reader = readMessageStream((index) => {
    const sink = new FileSink(path.join(spool.dir, `attachment-${index}`));
    sinks.push(sink);
    return sink;
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const notUtf8 = () => new EdxmlProblem('MALFORMED_PACKAGE', 'The edXML message is malformed: it is not UTF-8 text.');
  try {
    for await (const chunk of createReadStream(spool.file, { highWaterMark: PIECE })) {
      let text: string;
      try {
        text = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        throw notUtf8();
      }
      reader.write(text);
      for (const s of sinks) await s.flush();
    }
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw notUtf8();
    }
    reader.write(rest);
    const message = reader.end();
    return message;
  } finally {
    for (const s of sinks) await s.close().catch(() => undefined);
  }
}
