import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';

/** An instant, ISO 8601 with offset. */
export const DateTimeScalar = DateTimeResolver;
/** A calendar day (YYYY-MM-DD) in the office's time zone. */
export const DateScalar = LocalDateResolver;
export const JSONScalar = JSONResolver;
