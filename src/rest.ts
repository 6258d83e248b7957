import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { AppServices, Context } from './context';
import { buildContext } from './context-factory';
import { AppError, ErrorCode, fromDomain } from './errors';
import { bearerToken } from './services/tokens';

/**
 * What the REST routes beside GraphQL (files, reports, the document exchange) share: the signed-in
 * context of a request, and refusals as `{ code, message }` with the HTTP status of their code.
 */

/** The HTTP status of a coded refusal; a refusal may carry its own (`httpStatus`). */
export function httpStatusOf(err: GraphQLError): number {
  const own = (err as { httpStatus?: unknown }).httpStatus;
  if (typeof own === 'number') return own;
  switch (err.extensions?.code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.PASSWORD_CHANGE_REQUIRED:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.FILE_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_FILE_TYPE:
      return 415;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 503;
    default:
      return 400;
  }
}

/** Answers a refusal with its code and message; anything else is logged and answered without detail. */
export function sendError(res: Response, thrown: unknown, log: AppServices['log']): void {
  const err = fromDomain(thrown);
  if (err instanceof GraphQLError && typeof err.extensions?.code === 'string') {
    res.status(httpStatusOf(err)).json({ code: err.extensions.code, message: err.message });
    return;
  }
  log.error({ err, requestId: res.locals.requestId, path: res.req?.path }, 'request failed');
  res.status(500).json({
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: 'Something went wrong on the server. Try again; if it persists, give the request id to your administrator.',
    requestId: res.locals.requestId,
  });
}

/** The context of a request with a bearer token: refused unless signed in and past the initial password. */
export async function signedInContext(app: AppServices, orm: MikroORM, req: Request, res: Response): Promise<Context> {
  const ctx = await buildContext(app, orm, bearerToken(req.headers.authorization), req.ip ?? 'unknown', res.locals.requestId as string);
  if (!ctx.viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, ctx.authProblem);
  if (ctx.mustChangePassword) throw new AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED);
  return ctx;
}

/** `Content-Disposition` for a download: an ASCII fallback name and the exact UTF-8 one. */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
