/**
 * @vpdt/client: typed operations of the electronic office's GraphQL API (generated from
 * schema/schema.graphql and client/operations/*.graphql) and a small client that sends them over
 * HTTP (`fetch`) and subscribes over WebSocket (`graphql-ws`), both with the session token.
 *
 *   const api = createVpdtClient({ url: 'http://localhost:4000/graphql' });
 *   const { login } = await api.request(LoginDocument, { username, password });
 *   api.setToken(login.token);
 *   const { inbox } = await api.request(InboxDocument, { view: 'TO_PROCESS', first: 20 });
 *   const stop = api.subscribe(RoutingEventsDocument, {}, { next: (d) => console.log(d.routingEvents.type) });
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient, type ClientOptions } from 'graphql-ws';

export * from './generated';

export interface VpdtClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** The session token from `login` (without "Bearer "); may be set later with `setToken`. */
  token?: string | null;
  /** The WebSocket endpoint; by default `url` with `http` turned into `ws` (`https` into `wss`). */
  wsUrl?: string;
  /** Where `upload` posts files; by default `url` with its final `/graphql` turned into `/files`. */
  filesUrl?: string;
  /** A `fetch` of your own (tests, server-side rendering); by default the global one. */
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node.js before 22: `require('ws')`). */
  webSocketImpl?: unknown;
  /** Further `graphql-ws` options (retryAttempts, on, keepAlive…); `url` and `connectionParams` are set here. */
  ws?: Omit<Partial<ClientOptions>, 'url' | 'connectionParams' | 'webSocketImpl'>;
}

/** A request the server answered with errors: `code` is the first error's `extensions.code` (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT…). */
export class VpdtError extends Error {
  constructor(
    readonly errors: readonly GraphQLFormattedError[],
    /** The HTTP status (0 for errors delivered over the WebSocket). */
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('\n') || `HTTP ${status}`);
    this.name = 'VpdtError';
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code as string | undefined;
  }
}

/** What `upload` returns: pass `id` in `attachmentIds`, `fileId` or `signedFileId`. */
export interface UploadedFile {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface Sink<T> {
  next(data: T): void;
  /** A VpdtError for GraphQL errors, else what the socket reported (a CloseEvent, for instance 4401 when the session ended). */
  error?(error: unknown): void;
  complete?(): void;
}

export interface VpdtClient {
  /** The current token, or null. */
  readonly token: string | null;
  /** Sets (or clears) the token for the next requests; a live WebSocket is closed and reopens with it on the next `subscribe`. */
  setToken(token: string | null): void;
  /** Runs a query or mutation; resolves with its data or rejects with a VpdtError. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, init?: { signal?: AbortSignal }): Promise<R>;
  /** Starts a subscription; returns the function that ends it. */
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables: V | undefined, sink: Sink<R>): () => void;
  /** POST /files: stores one file (multipart field `file`) for the documents' inputs. */
  upload(file: Blob, name: string): Promise<UploadedFile>;
  /** Closes the WebSocket, if any. */
  dispose(): Promise<void>;
}

const printed = new WeakMap<DocumentNode, string>();
function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

export function createVpdtClient(options: VpdtClientOptions): VpdtClient {
  let token = options.token ?? null;
  let socket: WsClient | null = null;
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const wsUrl = options.wsUrl ?? options.url.replace(/^http/, 'ws');
  const filesUrl = options.filesUrl ?? options.url.replace(/\/graphql\/?$/, '/files');
  const auth = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  async function answer<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: { data?: T | null; errors?: GraphQLFormattedError[] } & Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new VpdtError([{ message: `The server answered HTTP ${res.status} with something other than JSON.` }], res.status);
    }
    if (body.errors?.length) throw new VpdtError(body.errors, res.status);
    if (!res.ok)
      throw new VpdtError([{ message: String(body.message ?? `HTTP ${res.status}`), extensions: body.code ? { code: body.code } : undefined }], res.status);
    return (body.data ?? body) as T;
  }

  function ws(): WsClient {
    socket ??= createClient({
      lazy: true,
      ...options.ws,
      url: wsUrl,
      webSocketImpl: options.webSocketImpl,
      connectionParams: () => auth(),
    });
    return socket;
  }

  return {
    get token() {
      return token;
    },
    setToken(next) {
      if (next === token) return;
      token = next;
      const old = socket;
      socket = null;
      void old?.dispose();
    },
    async request(document, variables, init) {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...auth() },
        body: JSON.stringify({ query: source(document), variables: variables ?? {} }),
        signal: init?.signal,
      });
      return answer(res);
    },
    subscribe(document, variables, sink) {
      return ws().subscribe(
        { query: source(document), variables: (variables ?? {}) as Record<string, unknown> },
        {
          next: (result) => {
            if (result.errors?.length) sink.error?.(new VpdtError(result.errors, 0));
            else if (result.data) sink.next(result.data as never);
          },
          error: (e) => sink.error?.(Array.isArray(e) ? new VpdtError(e as GraphQLFormattedError[], 0) : e),
          complete: () => sink.complete?.(),
        },
      );
    },
    async upload(file, name) {
      const form = new FormData();
      form.append('file', file, name);
      return answer<UploadedFile>(await doFetch(filesUrl, { method: 'POST', headers: auth(), body: form }));
    },
    async dispose() {
      const old = socket;
      socket = null;
      await old?.dispose();
    },
  };
}
