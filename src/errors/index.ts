import { GraphQLError } from 'graphql';
import { InvalidTransition } from '../domain/state-machine';
import { ErrorCode, defaultMessage } from './codes';

export { ErrorCode } from './codes';

/** A refusal meant for the person using the API: a stable code and a message they can act on. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    details?: Record<string, unknown>,
  ) {
    super(message ?? defaultMessage(code), { extensions: { code, ...(details ?? {}) } });
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Nothing') => new AppError(ErrorCode.NOT_FOUND, `${what} was found with this id, or you may not see it.`);
export const forbidden = (message?: string) => new AppError(ErrorCode.FORBIDDEN, message);
export const badInput = (message: string, field?: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : undefined);

/**
 * The coded error of a refusal raised by a pure domain rule (which knows no GraphQL): an illegal step
 * of a workflow is INVALID_TRANSITION with `from`, `to`, `step` and `workflow`. Anything else is
 * returned as it is.
 */
export function fromDomain(err: unknown): unknown {
  if (err instanceof InvalidTransition) return new AppError(ErrorCode.INVALID_TRANSITION, err.message, { ...err.details });
  return err;
}

/** Any step on an incoming document whose registration was annulled. */
export const annulled = () => new AppError(ErrorCode.DOCUMENT_ANNULLED, undefined, { state: 'ANNULLED' });
