import { CloseCode } from 'graphql-ws';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../src/errors/codes';

// Issue 20, item 4: the documentation lives in the repository and keeps up with the code. Every error
// code the server can answer and every WebSocket close code is explained in docs/api.md, and no link
// of the README or docs/ leads outside the repository (or to a file or heading that is not there).

const ROOT = path.resolve(__dirname, '../..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const api = read('docs/api.md');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}
const sources = sourceFiles(path.join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8'));

/** The section of docs/api.md under a heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.replace(/^#+\s*/, '') === heading && l.startsWith('#'));
  if (start < 0) throw new Error(`docs/api.md has no heading "${heading}"`);
  const level = lines[start].match(/^#+/)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+\s/.test(l) && l.match(/^#+/)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('docs/api.md', () => {
  const errors = section(api, 'Errors');

  it.each(Object.values(ErrorCode))('explains the error code %s', (code) => {
    expect(errors).toContain(`\`${code}\``);
  });

  it('explains every code the server writes outside the ErrorCode enum (query limits, the REST routes)', () => {
    const literal = new Set<string>();
    for (const text of sources) {
      for (const m of text.matchAll(/(?:extensions: \{ code|json\(\{ code|json\(\{ error): '([A-Z][A-Z_]+)'/g)) literal.add(m[1]);
    }
    expect(literal.size).toBeGreaterThan(0);
    for (const code of literal) expect({ code, documented: errors.includes(`\`${code}\``) }).toEqual({ code, documented: true });
  });

  it('explains every WebSocket close code the server uses, and graphql-ws’s own', () => {
    const table = section(api, 'WebSocket close codes');
    const used = new Set<number>();
    for (const text of sources) {
      for (const m of text.matchAll(/\.close\((\d{4})\b/g)) used.add(Number(m[1]));
      for (const m of text.matchAll(/export const CLOSE_[A-Z_]+ = (\d{4})/g)) used.add(Number(m[1]));
    }
    // The ones the issue names: session ended, token expired, too many/too slow, try again later.
    for (const c of [4401, 4403, 4429, 1013]) expect(used).toContain(c);
    // Shutdown (graphql-ws's dispose) closes with 1001.
    used.add(1001);
    for (const c of Object.values(CloseCode).filter((v): v is number => typeof v === 'number')) used.add(c);
    for (const c of used) expect({ code: c, documented: new RegExp(`\\b${c}\\b`).test(table) }).toEqual({ code: c, documented: true });
  });
});

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && /^#{1,6}\s/.test(line)) out.add(slug(line.replace(/^#+\s*/, '')));
  }
  return out;
}

describe('the README and docs/ stay inside the repository', () => {
  const pages = [
    'README.md',
    'README.vi.md',
    ...readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it('has the guides the issue asks for', () => {
    for (const p of ['docs/domain.md', 'docs/api.md', 'docs/operations.md', 'docs/examples.md', 'README.vi.md']) expect(pages).toContain(p);
  });

  it.each(pages)('%s: every link resolves to a file (and heading) of the repository', (page) => {
    const text = read(page).replace(/```[\s\S]*?```/g, '');
    expect(text).not.toMatch(/\.\.\/shared|shared\/(API|DOMAIN)\.md/);
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    for (const link of links) {
      if (/^https?:\/\//.test(link)) {
        // Only the local server (what `npm start` serves) may be linked absolutely.
        expect({ link, local: /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(link) }).toEqual({ link, local: true });
        continue;
      }
      expect(link).not.toMatch(/^[a-z]+:/i);
      const [file, anchor] = link.split('#');
      const target = file ? path.resolve(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
      expect({ link, inside: target === ROOT || target.startsWith(ROOT + path.sep) }).toEqual({ link, inside: true });
      expect({ link, exists: existsSync(target) }).toEqual({ link, exists: true });
      if (anchor && target.endsWith('.md')) expect({ link, anchor: anchors(readFileSync(target, 'utf8')).has(anchor) }).toEqual({ link, anchor: true });
    }
  });
});
