const MAX = 600;

/**
 * Any thrown value as one readable line: libraries reject with `undefined`, strings, plain objects,
 * errors with an empty message (a connection refused on every address of `localhost` is an
 * AggregateError with no message) or with a message over several lines. A cause the message does not
 * already contain is added after it.
 */
export function oneLine(err: unknown): string {
  const text = describe(err, 0).replace(/\s+/g, ' ').trim();
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

function describe(err: unknown, depth: number): string {
  if (err === undefined || err === null) return 'no reason was given (run with LOG_LEVEL=debug for the details)';
  if (typeof err === 'string') return err || 'an empty error';
  if (typeof err === 'number' || typeof err === 'bigint' || typeof err === 'boolean') return String(err);
  if (typeof err === 'symbol') return err.toString();
  if (typeof err !== 'object') return 'a function was thrown instead of an error';
  const e = err as { message?: unknown; code?: unknown; errors?: unknown; cause?: unknown; name?: unknown };
  let text = typeof e.message === 'string' ? e.message.trim() : '';
  if (!text && Array.isArray(e.errors) && e.errors.length && depth < 3) {
    text = [...new Set(e.errors.map((x) => describe(x, depth + 1)))].join('; ');
  }
  if (!text && typeof e.code === 'string') text = e.code;
  if (!text) {
    try {
      const json = JSON.stringify(err);
      text = json && json !== '{}' ? json : `${typeof e.name === 'string' ? e.name : 'an error'} without a message`;
    } catch {
      text = 'an error without a message';
    }
  }
  if (typeof e.code === 'string' && !text.includes(e.code)) text = `${text} (${e.code})`;
  if (e.cause !== undefined && depth < 3) {
    const cause = describe(e.cause, depth + 1);
    if (!text.includes(cause)) text = `${text}: ${cause}`;
  }
  return text;
}
