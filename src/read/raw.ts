import type { GraphQLResolveInfo } from 'graphql';
import { Aliases } from './document-sql';
import type { ResponseScope } from './response-sql';

/**
 * A root field's answer as PostgreSQL wrote it: the JSON text of the field's value in the response
 * (src/read/response-sql.ts). The response is written around it without parsing it
 * (src/read/fast-operation.ts); anything else that serialises it gets the same value.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Thrown by a read asked for its raw answer when it cannot give one: the request takes the ordinary path. */
export class NotAnsweredInSql extends Error {
  constructor(what: string) {
    super(`${what} is not answered in SQL`);
  }
}

const RAW = Symbol('answer in SQL');

/** Marks the resolve info of a root field resolved for its raw answer (src/read/fast-operation.ts). */
export function askRaw<T extends GraphQLResolveInfo>(info: T): T {
  Object.defineProperty(info, RAW, { value: true });
  return info;
}

/** Whether the field is resolved for its raw answer. */
export function wantsRaw(info: GraphQLResolveInfo | undefined): info is GraphQLResolveInfo {
  return !!info && (info as unknown as Record<symbol, unknown>)[RAW] === true;
}

export function responseScope(info: GraphQLResolveInfo): ResponseScope {
  return { schema: info.schema, fragments: info.fragments, variables: info.variableValues, a: new Aliases() };
}
