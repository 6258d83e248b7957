import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { signatureSettings } from '../../src/config-signatures';
import { makeCertificate } from '../helpers/signed-pdf';

let dir: string;
let ca1: string, ca2: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-anchors-unit-'));
  ca1 = (await makeCertificate({ cn: 'CA 1', ca: true })).pem;
  ca2 = (await makeCertificate({ cn: 'CA 2', ca: true })).pem;
  mkdirSync(path.join(dir, 'folder'));
  writeFileSync(path.join(dir, 'folder', 'a.pem'), ca1);
  writeFileSync(path.join(dir, 'folder', 'b.crt'), ca2);
  writeFileSync(path.join(dir, 'folder', 'readme.txt'), 'not a certificate');
  writeFileSync(path.join(dir, 'both.pem'), ca2 + ca1);
  writeFileSync(path.join(dir, 'empty.pem'), 'nothing here');
  writeFileSync(path.join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  mkdirSync(path.join(dir, 'none'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = (v?: string) => signatureSettings(v === undefined ? {} : { SIGNATURE_TRUST_ANCHORS: v }, dir, 1000);
const errorOf = (v: string) => {
  try {
    settings(v);
    return null;
  } catch (e) {
    return e instanceof ConfigError ? e.message : String(e);
  }
};

describe('SIGNATURE_TRUST_ANCHORS', () => {
  it('reads a folder (its .pem/.crt/.cer files) or PEM files; the same set has the same digest in any order', () => {
    const folder = settings('folder');
    expect(folder.trustAnchors).toHaveLength(2);
    expect(folder.trustAnchorSources.map((s) => path.basename(s))).toEqual(['a.pem', 'b.crt']);
    expect(settings('both.pem').anchorsDigest).toBe(folder.anchorsDigest);
    expect(settings('folder, both.pem').anchorsDigest).toBe(folder.anchorsDigest);
    expect(settings().trustAnchors).toEqual([]);
    expect(settings().anchorsDigest).not.toBe(folder.anchorsDigest);
  });

  it('stops the boot with one line naming the variable and the file', () => {
    expect(errorOf('missing.pem')).toBe(`SIGNATURE_TRUST_ANCHORS: ${path.join(dir, 'missing.pem')} does not exist`);
    const empty = path.join(dir, 'empty.pem');
    expect(errorOf('empty.pem')).toBe(`SIGNATURE_TRUST_ANCHORS: ${empty} holds no certificate (give PEM CERTIFICATE blocks or one DER certificate)`);
    expect(errorOf('broken.pem')).toMatch(/^SIGNATURE_TRUST_ANCHORS: certificate 1 of .*broken\.pem cannot be read/);
    expect(errorOf('none')).toMatch(/^SIGNATURE_TRUST_ANCHORS: the folder .*none holds no \.pem, \.crt or \.cer file$/);
    for (const v of ['missing.pem', 'empty.pem', 'broken.pem', 'none']) expect(errorOf(v)).not.toContain('\n');
  });

  it('is part of the configuration, with the check timeout', () => {
    const c = loadConfig({ NODE_ENV: 'test', TOKEN_SECRET: 'x'.repeat(40), SIGNATURE_TRUST_ANCHORS: 'folder', SIGNATURE_CHECK_TIMEOUT_MS: '5000' }, dir);
    expect(c.signatures.trustAnchors).toHaveLength(2);
    expect(c.signatures.checkTimeoutMs).toBe(5000);
    const tooShort = () => loadConfig({ NODE_ENV: 'test', TOKEN_SECRET: 'x'.repeat(40), SIGNATURE_CHECK_TIMEOUT_MS: '5' }, dir);
    expect(tooShort).toThrow(/^SIGNATURE_CHECK_TIMEOUT_MS: must be between/);
  });
});
