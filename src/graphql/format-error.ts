import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import { ErrorCode, defaultMessage } from '../errors/codes';

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
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId: string | undefined, log: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const problems = describeValidation((original.extensions.validationErrors ?? []) as ValidationErrorLike[]);
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
  if (original instanceof GraphQLError && !original.originalError && typeof formatted.extensions?.code === 'string' && formatted.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // Parse, validation and variable errors from graphql-js and Apollo: about the request, safe to show.
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: formatted.extensions.code } };
  }
  log.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
  return {
    message: defaultMessage(ErrorCode.INTERNAL_SERVER_ERROR),
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
