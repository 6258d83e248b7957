import { createHash, type Hash } from 'node:crypto';

/**
 * Reads an edXML message piece by piece, in one pass and in bounded memory, so that a package of
 * any size never becomes one string: the text of every `ContentTransferEncoded` element (the
 * attachments, base64) is decoded as it goes by, hashed and handed to a sink (a file, or memory in
 * tests); everything else — the markup and the small texts of the header — is kept as the
 * package's skeleton, where each attachment's text is replaced by a reference (`#0`, `#1`, …).
 * The skeleton is small and bounded; it is then screened, validated and read like any message.
 *
 * The scanner refuses early what the screening would refuse anyway (DOCTYPE and entity
 * declarations, unknown declarations, tags that never close) and what only it sees (markup inside
 * an attachment's text, a skeleton or a single tag too large). It does not otherwise judge
 * well-formedness: the skeleton keeps every tag verbatim for the validator.
 */

/** Receives the decoded bytes of one attachment. */
export interface AttachmentSink {
  write(bytes: Buffer): void;
}

/** What the scanner learnt of one attachment's text. */
export interface ScannedAttachment<S extends AttachmentSink = AttachmentSink> {
  size: number;
  /** SHA-256 of the decoded bytes, hexadecimal. */
  sha256: string;
  /** Why the text is not base64, or null. */
  problem: string | null;
  sink: S;
}

export class ScanProblem extends Error {}

/** Bounds of what the scanner keeps in memory. */
export const SCAN_LIMITS = {
  /** The package without its attachments' text (characters). */
  maxSkeleton: 4 * 1024 * 1024,
  /** One tag, comment, CDATA section or processing instruction outside an attachment (characters). */
  maxConstruct: 1024 * 1024,
  /** Attachments (ContentTransferEncoded elements). */
  maxAttachments: 50,
} as const;

const CTE_LOCAL_NAME = 'ContentTransferEncoded';
const BASE64_PIECE = /^[A-Za-z0-9+/]*(=*)$/;
const WHITESPACE = /\s+/g;

interface OpenAttachment<S extends AttachmentSink> {
  qname: string;
  index: number;
  sink: S | null;
  hash: Hash;
  size: number;
  chars: number;
  pads: number;
  carry: string;
  problem: string | null;
}

export class EdxmlScanner<S extends AttachmentSink = AttachmentSink> {
  private parts: string[] = [];
  private skeletonLength = 0;
  /** Text received and not yet consumed (an incomplete construct at the end of a chunk). */
  private pending = '';
  /** Where to resume looking for the end of the pending construct. */
  private resumeAt = 0;
  private resumeQuote = 0;
  private cte: OpenAttachment<S> | null = null;
  private count = 0;
  readonly attachments: ScannedAttachment<S>[] = [];

  constructor(private readonly openSink: (index: number) => S) {}

  write(text: string): void {
    const buf = this.pending ? this.pending + text : text;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (this.cte) {
        const lt = buf.indexOf('<', i);
        if (lt === -1) {
          this.base64(buf.slice(i));
          i = n;
          break;
        }
        if (lt > i) this.base64(buf.slice(i, lt));
        i = lt;
        const gt = buf.indexOf('>', lt);
        if (gt === -1) {
          if (n - lt > 1024) throw new ScanProblem(`${CTE_LOCAL_NAME} must hold base64 text only.`);
          break;
        }
        const m = /^<\/([^\s>]+)\s*>$/.exec(buf.slice(lt, gt + 1));
        if (!m) throw new ScanProblem(`${CTE_LOCAL_NAME} must hold base64 text only.`);
        if (m[1] !== this.cte.qname) throw new ScanProblem(`not well-formed XML (${CTE_LOCAL_NAME} is closed by </${m[1].slice(0, 40)}>).`);
        this.closeAttachment(buf.slice(lt, gt + 1));
        i = gt + 1;
        continue;
      }
      const lt = buf.indexOf('<', i);
      if (lt === -1) {
        this.keep(buf.slice(i));
        i = n;
        break;
      }
      if (lt > i) this.keep(buf.slice(i, lt));
      i = lt;
      const end = this.constructEnd(buf, lt);
      if (end === -1) {
        if (n - lt > SCAN_LIMITS.maxConstruct) throw new ScanProblem('a tag, comment or declaration is too long, or is not closed.');
        break;
      }
      const construct = buf.slice(lt, end);
      this.keep(construct);
      this.resumeAt = 0;
      i = end;
      if (construct.charCodeAt(1) !== 0x2f /* / */ && construct.charCodeAt(1) !== 0x21 /* ! */ && construct.charCodeAt(1) !== 0x3f /* ? */ && construct.charCodeAt(end - lt - 2) !== 0x2f) {
        const qname = /^<([^\s/>]+)/.exec(construct)?.[1] ?? '';
        const colon = qname.indexOf(':');
        if ((colon === -1 ? qname : qname.slice(colon + 1)) === CTE_LOCAL_NAME) this.openAttachment(qname);
      }
    }
    this.pending = i < n ? buf.slice(i) : '';
    if (!this.pending) this.resumeAt = 0;
  }

  /** The skeleton, once everything was written. */
  end(): string {
    if (this.cte) throw new ScanProblem(`${CTE_LOCAL_NAME} is not closed.`);
    if (this.pending) this.keep(this.pending);
    this.pending = '';
    return this.parts.join('');
  }

  /** The index just past the construct that starts with '<' at `lt`, or -1 when it does not end in `buf`. */
  private constructEnd(buf: string, lt: number): number {
    const second = buf.charCodeAt(lt + 1);
    if (second === 0x21 /* ! */) {
      // Enough to tell a comment, a CDATA section and a declaration apart.
      if (buf.length - lt < 9) return -1;
      if (buf.startsWith('<!--', lt)) return this.after(buf, lt, '-->', 4);
      if (buf.startsWith('<![CDATA[', lt)) return this.after(buf, lt, ']]>', 9);
      if (/^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(buf.slice(lt, lt + 9))) throw new ScanProblem('DOCTYPE and entity declarations are not accepted.');
      throw new ScanProblem('a comment or CDATA section is not closed, or an unknown declaration is used.');
    }
    if (second === 0x3f /* ? */) return this.after(buf, lt, '?>', 2);
    // A tag: '>' ends it unless quoted; '<' never belongs in one. A tag cut by the end of a chunk is
    // looked at again from where the last look stopped, with the quote that was open there.
    let quote = this.resumeAt > lt ? this.resumeQuote : 0;
    for (let j = Math.max(lt + 1, this.resumeAt); j < buf.length; j++) {
      const c = buf.charCodeAt(j);
      if (c === 0x3c) throw new ScanProblem('a tag is not closed.');
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) return j + 1;
    }
    // The pending text will start at `lt`: positions are kept relative to it.
    this.resumeAt = buf.length - lt;
    this.resumeQuote = quote;
    return -1;
  }

  private after(buf: string, lt: number, terminator: string, skip: number): number {
    const at = buf.indexOf(terminator, lt + skip);
    return at === -1 ? -1 : at + terminator.length;
  }

  private keep(s: string): void {
    this.skeletonLength += s.length;
    if (this.skeletonLength > SCAN_LIMITS.maxSkeleton) throw new ScanProblem('the header and descriptions are too large (everything but the attachments must stay under 4 MB).');
    this.parts.push(s);
  }

  private openAttachment(qname: string): void {
    if (this.count >= SCAN_LIMITS.maxAttachments) throw new ScanProblem(`at most ${SCAN_LIMITS.maxAttachments} attachments are accepted.`);
    this.cte = { qname, index: this.count++, sink: null, hash: createHash('sha256'), size: 0, chars: 0, pads: 0, carry: '', problem: null };
  }

  private base64(text: string): void {
    const a = this.cte!;
    const piece = text.replace(WHITESPACE, '');
    if (!piece || a.problem) return;
    const m = BASE64_PIECE.exec(piece);
    if (!m || (a.pads > 0 && m[1].length !== piece.length)) {
      a.problem = 'is not base64.';
      return;
    }
    a.pads += m[1].length;
    if (a.pads > 2) {
      a.problem = 'is not base64.';
      return;
    }
    a.chars += piece.length;
    a.sink ??= this.openSink(a.index);
    const all = a.carry + piece;
    const whole = all.length - (all.length % 4);
    a.carry = all.slice(whole);
    if (whole > 0) this.emit(a, Buffer.from(all.slice(0, whole), 'base64'));
  }

  private emit(a: OpenAttachment<S>, bytes: Buffer): void {
    if (bytes.length === 0) return;
    a.size += bytes.length;
    a.hash.update(bytes);
    a.sink!.write(bytes);
  }

  private closeAttachment(closeTag: string): void {
    const a = this.cte!;
    this.cte = null;
    if (!a.problem && a.chars % 4 !== 0) a.problem = 'is not base64.';
    if (a.chars > 0) {
      // The text is replaced by a reference to what was scanned; an empty element stays empty.
      this.attachments[a.index] = { size: a.size, sha256: a.hash.digest('hex'), problem: a.problem, sink: a.sink ?? this.openSink(a.index) };
      this.keep(`#${a.index}`);
    }
    this.keep(closeTag);
  }
}
