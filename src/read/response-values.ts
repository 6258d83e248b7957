import { type GraphQLOutputType, getNullableType, isEnumType, isListType, isScalarType } from 'graphql';
import { lit, snake } from './document-sql';
import { GLOBAL_IDS } from './global-ids';

/** How values are written in responses built by PostgreSQL (src/read/response-sql.ts), as the API writes them. */

/** base64url without padding, as Buffer's 'base64url' (PostgreSQL's base64 breaks lines every 76 characters). */
export const base64url = (text: string) => `translate(encode(convert_to(${text}, 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`;
/** An instant as JavaScript's toISOString writes it (milliseconds, UTC, Z). */
export const isoInstant = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The cursor of a document page (src/graphql/pagination.ts encodeCursor([createdAt ISO, id])). */
export const documentCursor = (row: string) => base64url(`'["' || ${isoInstant(`${row}.created_at`)} || '","' || ${row}.id || '"]'`);

export function globalId(typeName: string, row: string): string | null {
  const id = GLOBAL_IDS[typeName];
  if (!id) return null;
  const [kind, key] = id;
  return base64url(`${lit(`${kind}:`)} || ${row}.${snake(key)}`);
}

/** A scalar or enum value of `type` from the column expression, or null when its serialisation is not one of these. */
export function valueOf(type: GraphQLOutputType, expr: string): string | null {
  const t = getNullableType(type);
  if (isListType(t)) {
    const inner = getNullableType(t.ofType);
    // A list of strings or of enums whose names are their values: the array column as a JSON array.
    if ((isScalarType(inner) && inner.name === 'String') || (isEnumType(inner) && inner.getValues().every((v) => v.value === v.name))) return expr;
    return null;
  }
  if (isEnumType(t)) {
    const values = t.getValues();
    if (values.every((v) => v.value === v.name)) return expr;
    return `case ${expr} ${values.map((v) => `when ${lit(String(v.value))} then ${lit(v.name)}`).join(' ')} end`;
  }
  if (!isScalarType(t)) return null;
  switch (t.name) {
    case 'String':
    case 'Int':
    case 'Float':
    case 'Boolean':
      return expr;
    case 'DateTime':
      return isoInstant(expr);
    case 'Date':
      return `to_char(${expr}, 'YYYY-MM-DD')`;
    default:
      return null;
  }
}
