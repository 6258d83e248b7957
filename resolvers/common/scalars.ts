import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { isCalendarDate } from '../../src/domain/time/office-time';

/** An instant, ISO 8601 with offset. */
export const DateTimeScalar = DateTimeResolver;

function calendarDay(value: unknown): string {
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  throw new GraphQLError('A Date is a calendar day written YYYY-MM-DD, such as 2026-11-26.', { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A calendar day (YYYY-MM-DD) in the office's time zone: no time, no offset, so no day ever shifts. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD, in the office’s time zone (Asia/Ho_Chi_Minh).',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : calendarDay(v)),
  parseValue: calendarDay,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('A Date is written as a string YYYY-MM-DD.', { extensions: { code: 'BAD_USER_INPUT' } });
    return calendarDay(ast.value);
  },
});

export const JSONScalar = JSONResolver;
