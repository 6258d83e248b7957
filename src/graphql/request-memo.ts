const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Computes `fn` once per resolved object for `key`: sibling fields of one object that need the same
 * rows share one query. Keyed by the object itself, so a later mutation in the same request, which
 * returns a fresh object, never sees an earlier answer.
 */
export function perObject<T>(root: object, key: string, fn: () => Promise<T>): Promise<T> {
  let m = memos.get(root);
  if (!m) memos.set(root, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = fn()));
  return p;
}
