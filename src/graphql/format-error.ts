import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from 'pino';
import { AppError, fromDomain } from '../errors';
import { ErrorCode, defaultMessage } from '../errors/codes';
import { TOO_LONG, isTokenLimitError, tooComplex } from './query-limits';
import { isConnectionFailure } from '../db/faults';

export { isConnectionFailure };

/** Codes graphql-js and Apollo give to problems with the request itself (raised before any resolver runs). */
const REQUEST_ERROR_CODES = new Set([
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** What a client is told when it asks for __schema or __type where introspection is off (production). */
export const INTROSPECTION_OFF = 'Introspection is turned off on this server. Use the published schema (schema/schema.graphql) instead.';

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function describeValidation(errors: ValidationErrorLike[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...describeValidation(e.children ?? [], field)];
  });
}

/**
 * What a client sees of an error: the code and a message a person can act on. Anything unexpected
 * becomes INTERNAL_SERVER_ERROR with the request id; the detail goes to the log only — never a
 * stack trace, SQL, a table or constraint name, or a file path.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  requestId: string | undefined,
  log: Logger,
  opts: { production?: boolean } = {},
): GraphQLFormattedError {
  const original = fromDomain(unwrapResolverError(error));
  if (original instanceof ArgumentValidationError) {
    const problems = describeValidation(original.extensions.validationErrors ?? []);
    return {
      message: `Some of the input is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields: problems.map((p) => p.field) },
    };
  }
  if (original instanceof AppError) {
    return { message: original.message, locations: formatted.locations, path: formatted.path, extensions: { ...original.extensions } };
  }
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitError(original)) {
    // graphql-js reports the token limit as a syntax error naming the limit, and its location would
    // tell the number too: the client gets the same refusal as for the other limits, with neither.
    return { message: tooComplex(TOO_LONG).message, extensions: { code: 'QUERY_TOO_COMPLEX' } };
  }
  // Apollo relabels validation errors GRAPHQL_VALIDATION_FAILED; the query limits keep their own code.
  const inner = original instanceof GraphQLError ? original.originalError : undefined;
  const code = inner instanceof GraphQLError && inner.extensions?.code === 'QUERY_TOO_COMPLEX' ? 'QUERY_TOO_COMPLEX' : formatted.extensions?.code;
  if (original instanceof GraphQLError && !formatted.path && typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    // Parse, validation and variable errors from graphql-js and Apollo: about the request itself, safe to show.
    // In production the schema stays private: no "Did you mean …?" field suggestions.
    let message = opts.production ? formatted.message.replace(/\s*Did you mean .*$/s, '') : formatted.message;
    // Apollo's refusal tells how to turn introspection on; graphql-js's names the field. Both say the same here.
    if (code === 'GRAPHQL_VALIDATION_FAILED' && /introspection/i.test(message)) message = INTROSPECTION_OFF;
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  if (isConnectionFailure(original)) {
    log.warn({ err: original, requestId, path: formatted.path }, 'database unreachable');
    return {
      message: defaultMessage(ErrorCode.SERVICE_UNAVAILABLE),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true, requestId },
    };
  }
  log.error({ err: original, requestId, path: formatted.path, detail: String((original as { message?: string })?.message ?? original) }, 'unexpected error');
  return {
    message: defaultMessage(ErrorCode.INTERNAL_SERVER_ERROR),
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
