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

/** A tag, comment, CDATA section or processing instruction whose end has not arrived yet. */
interface Waiting {
  parts: string[];
  length: number;
  /** For a tag: the quote open at the end of what arrived (0 for none). */
  quote: number;
  /** For the others: what ends it, and the last characters that arrived after its opening. */
  terminator: string | null;
  tail: string;
}

export class EdxmlScanner<S extends AttachmentSink = AttachmentSink> {
  private parts: string[] = [];
  private skeletonLength = 0;
  /** A few characters not consumed yet (an attachment's closing tag, or `<!` cut short). */
  private pending = '';
  /** A construct cut by the end of a piece: kept as its pieces, looked at only in what arrives next. */
  private waiting: Waiting | null = null;
  private cte: OpenAttachment<S> | null = null;
  private count = 0;
  readonly attachments: ScannedAttachment<S>[] = [];

  constructor(private readonly openSink: (index: number) => S) {}

  write(text: string): void {
    if (this.waiting) {
      const w = this.waiting;
      const end = w.terminator === null ? this.tagEnd(text, 0, w) : this.terminatorEnd(text, w);
      if (end === -1) {
        w.parts.push(text);
        w.length += text.length;
        if (w.length > SCAN_LIMITS.maxConstruct) throw new ScanProblem('a tag, comment or declaration is too long, or is not closed.');
        if (w.terminator !== null) w.tail = (w.tail + text).slice(-(w.terminator.length - 1));
        return;
      }
      this.waiting = null;
      w.parts.push(text.slice(0, end));
      this.construct(w.parts.join(''));
      text = text.slice(end);
    }
    const buf = this.pending ? this.pending + text : text;
    this.pending = '';
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
      const second = buf.charCodeAt(lt + 1);
      let end: number;
      if (second === 0x21 /* ! */) {
        // Enough to tell a comment, a CDATA section and a declaration apart.
        if (n - lt < 9) break;
        if (buf.startsWith('<!--', lt)) end = this.startWaiting(buf, lt, '-->', 4);
        else if (buf.startsWith('<![CDATA[', lt)) end = this.startWaiting(buf, lt, ']]>', 9);
        else if (/^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(buf.slice(lt, lt + 9))) throw new ScanProblem('DOCTYPE and entity declarations are not accepted.');
        else throw new ScanProblem('a comment or CDATA section is not closed, or an unknown declaration is used.');
      } else if (second === 0x3f /* ? */) end = this.startWaiting(buf, lt, '?>', 2);
      else if (lt + 1 >= n) break;
      else {
        const w: Waiting = { parts: [], length: 0, quote: 0, terminator: null, tail: '' };
        end = this.tagEnd(buf, lt + 1, w);
        if (end === -1) {
          w.parts.push(buf.slice(lt));
          w.length = n - lt;
          if (w.length > SCAN_LIMITS.maxConstruct) throw new ScanProblem('a tag, comment or declaration is too long, or is not closed.');
          this.waiting = w;
        }
      }
      if (end === -1) return;
      this.construct(buf.slice(lt, end));
      i = end;
    }
    if (i < n) this.pending = buf.slice(i);
  }

  /** The skeleton, once everything was written. */
  end(): string {
    if (this.cte) throw new ScanProblem(`${CTE_LOCAL_NAME} is not closed.`);
    // What never ended goes to the skeleton as it is: the validator says what is wrong with it.
    if (this.waiting) this.keep(this.waiting.parts.join(''));
    if (this.pending) this.keep(this.pending);
    this.waiting = null;
    this.pending = '';
    return this.parts.join('');
  }

  /** A whole tag, comment, CDATA section or processing instruction: kept, and an attachment's text begins after its opening tag. */
  private construct(c: string): void {
    this.keep(c);
    const second = c.charCodeAt(1);
    if (second === 0x2f /* / */ || second === 0x21 /* ! */ || second === 0x3f /* ? */ || c.charCodeAt(c.length - 2) === 0x2f) return;
    const qname = /^<([^\s/>]+)/.exec(c)?.[1] ?? '';
    const colon = qname.indexOf(':');
    if ((colon === -1 ? qname : qname.slice(colon + 1)) === CTE_LOCAL_NAME) this.openAttachment(qname);
  }

  /** Where the tag being read ends in `s` (from `from`), or -1: '>' ends it unless quoted; '<' never belongs in one. */
  private tagEnd(s: string, from: number, w: Waiting): number {
    let quote = w.quote;
    for (let j = from; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 0x3c) throw new ScanProblem('a tag is not closed.');
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) return j + 1;
    }
    w.quote = quote;
    return -1;
  }

  /** The end of a comment, CDATA section or processing instruction starting at `lt`, or -1 after making it wait. */
  private startWaiting(buf: string, lt: number, terminator: string, skip: number): number {
    const at = buf.indexOf(terminator, lt + skip);
    if (at !== -1) return at + terminator.length;
    const length = buf.length - lt;
    if (length > SCAN_LIMITS.maxConstruct) throw new ScanProblem('a tag, comment or declaration is too long, or is not closed.');
    this.waiting = { parts: [buf.slice(lt)], length, quote: 0, terminator, tail: buf.slice(Math.max(lt + skip, buf.length - (terminator.length - 1))) };
    return -1;
  }

  /** Where the waiting comment, CDATA section or processing instruction ends in `text`, or -1. */
  private terminatorEnd(text: string, w: Waiting): number {
    const at = (w.tail + text).indexOf(w.terminator!);
    return at === -1 ? -1 : at + w.terminator!.length - w.tail.length;
  }

  private keep(s: string): void {
    this.skeletonLength += s.length;
    if (this.skeletonLength > SCAN_LIMITS.maxSkeleton)
      throw new ScanProblem('the header and descriptions are too large (everything but the attachments must stay under 4 MB).');
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
    a.chars += piece.length;
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
