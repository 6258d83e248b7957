import path from 'node:path';

/** Where the bytes of a stored file live. */
export function blobPath(uploadDir: string, sha256: string): string {
  return path.join(uploadDir, sha256.slice(0, 2), sha256);
}
