import type http from 'node:http';
import type { Socket } from 'node:net';

export interface HttpDrain {
  /** Requests being answered now. */
  inFlight(): number;
  /**
   * Stops accepting connections and lets the requests already received finish and answer, each
   * response closing its connection (`Connection: close`), for at most `graceMs`. Idle keep-alive
   * connections are closed at once: nothing was received on them, so nothing is lost. Connections still
   * open at the end (a request past the grace period, a request only half received) are cut. WebSocket
   * connections are not touched: they are the live endpoint's to close. Resolves with the number of
   * requests that were cut.
   */
  drain(graceMs: number): Promise<number>;
}

/**
 * Tracks an HTTP server's connections and requests from the start, so that shutdown answers every
 * request it has received. Apollo's drain plugin half-closes a connection that has no request yet;
 * a request whose bytes are already on their way is then still read and run but cannot be answered,
 * and the client sees a socket error for a change that was committed.
 */
export function trackHttp(server: http.Server): HttpDrain {
  const sockets = new Set<Socket>();
  const responses = new Set<http.ServerResponse>();
  let draining = false;
  let changed: (() => void) | undefined;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      changed?.();
    });
  });
  // Upgraded connections (WebSocket) leave HTTP: the live endpoint closes them with 1001.
  server.on('upgrade', (_req: http.IncomingMessage, socket: Socket) => {
    sockets.delete(socket);
  });
  // First of the request listeners, so that it runs before the application can answer.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    responses.add(res);
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      responses.delete(res);
      changed?.();
    });
  });

  return {
    inFlight: () => responses.size,
    async drain(graceMs: number) {
      draining = true;
      for (const res of responses) if (!res.headersSent) res.shouldKeepAlive = false;
      // Stops listening; Node also closes the connections that are between requests.
      server.close();
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      for (;;) {
        // A response whose headers had gone out before the drain may have left its connection open for keep-alive.
        if (responses.size === 0) server.closeIdleConnections();
        if (sockets.size === 0 || Date.now() >= deadline) break;
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, Math.min(250, Math.max(deadline - Date.now(), 0))).unref();
        });
        changed = undefined;
      }
      const cut = responses.size;
      for (const socket of sockets) socket.destroy();
      return cut;
    },
  };
}
