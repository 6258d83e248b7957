import { GraphQLError } from 'graphql';
import pino from 'pino';
import { formatError, isConnectionFailure } from '../../src/graphql/format-error';
import { AppError, ErrorCode } from '../../src/errors';

const log = pino({ level: 'silent' });
const validation = new GraphQLError('Cannot query field "nme" on type "Query". Did you mean "me"?', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

describe('error formatting', () => {
  it('hides field suggestions in production only', () => {
    const f = { message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(formatError(f, validation, 'r1', log, { production: true }).message).toBe('Cannot query field "nme" on type "Query".');
    expect(formatError(f, validation, 'r1', log).message).toContain('Did you mean');
  });

  it('turns an unexpected failure into INTERNAL_SERVER_ERROR with the request id and no detail', () => {
    const e = new Error('insert into "account" violates unique constraint "account_username_unique" at /work/main/src/x.ts:1');
    const out = formatError({ message: e.message, path: ['x'] }, e, 'req-42', log);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' });
    expect(JSON.stringify(out)).not.toMatch(/insert|constraint|account_username|\/work\//);
  });

  it('turns a lost database connection into a retryable SERVICE_UNAVAILABLE', () => {
    const e = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isConnectionFailure(e)).toBe(true);
    expect(formatError({ message: e.message, path: ['x'] }, e, 'r', log).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(isConnectionFailure(new Error('duplicate key'))).toBe(false);
  });

  it('keeps the code and message of refusals meant for people', () => {
    const e = new AppError(ErrorCode.NOT_SIGNED);
    expect(formatError({ message: e.message }, e, 'r', log).extensions).toEqual({ code: 'NOT_SIGNED' });
  });
});
