import { type GraphQLObjectType, type GraphQLResolveInfo, getNamedType, isObjectType } from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import type { Context } from '../context';
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

/** The connection type a root field returns and the names of the fields its selection asks. */
export function connectionAsked(info: GraphQLResolveInfo): { s: ResponseScope; type: GraphQLObjectType; asked: Set<string> } {
  const s = responseScope(info);
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) throw new NotAnsweredInSql(info.fieldName);
  const asked = new Set([...collectSubfields(s.schema, s.fragments, s.variables, type, info.fieldNodes).values()].map((nodes) => nodes[0].name.value));
  return { s, type, asked };
}

/**
 * `with <ctes> select (<json>)::text as data`: the named common table expressions that are given (each
 * rendered once, with its parameters), the response's JSON over them; the parameters in the text's order.
 */
export function rawStatement(ctes: Array<[name: string, sql: string, params: unknown[]] | null>, json: string): { sql: string; params: unknown[] } {
  const given = ctes.filter((c): c is [string, string, unknown[]] => c !== null);
  return {
    sql: `${given.length ? `with ${given.map(([name, sql]) => `${name} as ${sql}`).join(', ')} ` : ''}select (${json})::text as data`,
    params: given.flatMap(([, , params]) => params),
  };
}

/** A raw read's statement and its values. */
interface Plan {
  sql: string;
  params: unknown[];
}

/**
 * Statements of raw reads, kept by what decides them: the viewer's ability (one object per session held
 * in memory: src/context-factory.ts), the request's selection (the parsed document is cached, so its
 * field nodes are the same objects from request to request) and variables, and the read's own inputs
 * (`shape`: view, deadline bounds, filter, page). A hit skips building the filters, rendering them and
 * writing the JSON expression; the oldest go first.
 */
const MAX_PLANS = 2000;
/** At most this many characters of keys and statements kept (about 64 MB of strings at most), whatever the requests. */
const MAX_PLAN_CHARS = 32 * 1024 * 1024;
let planChars = 0;
const plans = new Map<string, Plan>();
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = ++nextIdentity));
  return id;
}

export function planned(ctx: Context, info: GraphQLResolveInfo, shape: unknown, build: () => Plan): Plan {
  const key = `${identity(ctx.ability)}|${identity(info.fieldNodes[0])}|${info.fieldNodes.length}|${JSON.stringify(info.variableValues)}|${JSON.stringify(shape)}`;
  const hit = plans.get(key);
  if (hit) {
    plans.delete(key);
    plans.set(key, hit);
    return hit;
  }
  const plan = build();
  const size = key.length + plan.sql.length;
  // A request of unusual size (long lists in its variables, a very large selection) is not kept.
  if (size > MAX_PLAN_CHARS / 64) return plan;
  plans.set(key, plan);
  planChars += size;
  while (plans.size > MAX_PLANS || planChars > MAX_PLAN_CHARS) {
    const oldest = plans.keys().next().value as string;
    planChars -= oldest.length + plans.get(oldest)!.sql.length;
    plans.delete(oldest);
  }
  return plan;
}
