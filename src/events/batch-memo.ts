/**
 * Work shared by the subscribers of one process while they take the same batch of events: subscribers
 * on the same session share its check, its permissions and the readable documents of the batch; all
 * share the rows of the batch. Keys name the hub's head, so nothing is reused across advances, and an
 * entry lives at most a second: every batch is authorised under permissions at most that old, checked
 * after the events it carries were committed.
 */
export class BatchMemo {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly maxEntries = 2000,
    private readonly ttlMs = 1000,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = compute();
    this.entries.set(key, { at: now, value });
    // A failure is not remembered: the next subscriber tries again.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) {
      for (const [k, e] of this.entries) {
        if (this.entries.size <= this.maxEntries / 2 && now - e.at < this.ttlMs) break;
        this.entries.delete(k);
      }
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
