import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';

/** How digital signatures on uploaded and received PDFs are checked (src/services/signature-check.ts). */
export interface SignatureSettings {
  /** The trust anchors (root or intermediate CA certificates), DER-encoded. */
  trustAnchors: Buffer[];
  /** Where they were read from, for the boot log. */
  trustAnchorSources: string[];
  /** SHA-256 over the set of anchors: a check made under another set is made again before issuing. */
  anchorsDigest: string;
  /** The longest one file's check may take before it is given up (MALFORMED). */
  checkTimeoutMs: number;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const CERT_FILE = /\.(pem|crt|cer)$/i;

function isCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/** The certificates of one file: PEM blocks, or one DER certificate. */
function certificatesIn(file: string): Buffer[] {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const pem = text.includes('-----BEGIN');
  const ders = pem ? [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64')) : [bytes];
  if (!ders.length) throw new ConfigError('SIGNATURE_TRUST_ANCHORS', `${file} holds no CERTIFICATE block`);
  if (!pem && !isCertificate(bytes)) {
    throw new ConfigError('SIGNATURE_TRUST_ANCHORS', `${file} holds no certificate (give PEM CERTIFICATE blocks or one DER certificate)`);
  }
  ders.forEach((der, i) => {
    if (!isCertificate(der)) {
      throw new ConfigError('SIGNATURE_TRUST_ANCHORS', `certificate ${i + 1} of ${file} cannot be read (give PEM or DER X.509 certificates)`);
    }
  });
  return ders;
}

/**
 * SIGNATURE_TRUST_ANCHORS: a comma-separated list of PEM/DER certificate files and folders (every
 * *.pem, *.crt and *.cer directly in a folder), relative to `cwd`. Without it no signature chains to
 * a trust anchor, and every signed PDF is UNTRUSTED.
 */
export function signatureSettings(env: Record<string, string | undefined>, cwd: string, timeoutMs: number): SignatureSettings {
  const given = (env.SIGNATURE_TRUST_ANCHORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const trustAnchors: Buffer[] = [];
  const sources: string[] = [];
  for (const entry of given) {
    const p = path.resolve(cwd, entry);
    if (!existsSync(p)) throw new ConfigError('SIGNATURE_TRUST_ANCHORS', `${p} does not exist`);
    if (statSync(p).isDirectory()) {
      const files = readdirSync(p)
        .filter((f) => CERT_FILE.test(f))
        .sort()
        .map((f) => path.join(p, f));
      if (!files.length) throw new ConfigError('SIGNATURE_TRUST_ANCHORS', `the folder ${p} holds no .pem, .crt or .cer file`);
      for (const f of files) trustAnchors.push(...certificatesIn(f));
      sources.push(...files);
    } else {
      trustAnchors.push(...certificatesIn(p));
      sources.push(p);
    }
  }
  const fingerprints = [...new Set(trustAnchors.map((d) => createHash('sha256').update(d).digest('hex')))].sort();
  return {
    trustAnchors,
    trustAnchorSources: sources,
    anchorsDigest: createHash('sha256').update(fingerprints.join('\n')).digest('hex'),
    checkTimeoutMs: timeoutMs,
  };
}
