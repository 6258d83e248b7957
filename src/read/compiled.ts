/**
 * Objects a compiled read built in PostgreSQL (src/read/document-sql.ts) carry their GraphQL type in
 * `__kind`; an ORM entity never does. Field resolvers pass a compiled object's prepared value through
 * and only look anything up for an entity.
 */
export type Compiled = { __kind: string } & Record<string, unknown>;

export function isCompiled(value: unknown): value is Compiled {
  return typeof value === 'object' && value !== null && typeof (value as { __kind?: unknown }).__kind === 'string';
}

/** The prepared value of `field` when `value` is a compiled object that holds it; `undefined` otherwise (look it up). */
export function prepared<T>(value: unknown, field: string): T | undefined {
  return isCompiled(value) && field in value ? (value[field] as T) : undefined;
}

/** Reads the JSON text of a compiled statement: instants come as `{"$t": "ISO 8601 with offset"}` and become Dates (to the millisecond, as the ORM's). */
export function parseCompiled<T>(text: string | null): T | null {
  if (text === null) return null;
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$t' in value) {
      const t = (value as { $t: string | null }).$t;
      return t === null ? null : new Date(t);
    }
    return value;
  }) as T;
}
