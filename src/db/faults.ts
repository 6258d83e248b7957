/**
 * A lost or refused database connection (killed backend, server restarting, network): the
 * transaction was rolled back, so the request can be retried as it is.
 */
export function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: string }).code;
    const name = (e as { name?: string }).name;
    const message = String((e as { message?: string }).message ?? '');
    if (name === 'ConnectionException') return true;
    if (code && /^(57P0[1-3]|08\d\d\d|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(code)) return true;
    if (
      /Connection terminated|Connection ended unexpectedly|not queryable|socket hang up|timeout exceeded when trying to connect|Timeout acquiring a connection|terminating connection|ECONNREFUSED|the database system is (starting|shutting) down|Client has encountered a connection error|Transaction query already complete/i.test(
        message,
      )
    )
      return true;
    e = (e as { originalError?: unknown }).originalError ?? (e as { previous?: unknown }).previous ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
