import type { ApolloServerPlugin, GraphQLRequestContextResponseForOperation, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { type FormattedExecutionResult, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, getArgumentValues, getVariableValues } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import type { Context } from '../context';
import { RawJson, askRaw } from './raw';

/**
 * Queries answered without executing them in Node: when every root field of a query is one whose
 * answer PostgreSQL can write as the response itself (src/read/response-sql.ts), each root field's
 * resolver runs as always (its access rule, its arguments' checks, the service's filters) but asks its
 * read for the raw JSON, and the response is written around PostgreSQL's text. Nothing is hydrated,
 * executed field by field or serialised again.
 *
 * Whenever anything is not so (another root field, a selection the SQL does not write, an error of
 * any kind) the plugin answers nothing and Apollo executes the query the ordinary way, which gives the
 * same data or the same error as it always did. The reads below refuse raw answers before they read
 * anything they cannot answer, so nothing is done twice but in the error cases.
 */

/** Root fields whose resolvers can give a raw answer. */
const ANSWERED_IN_SQL = new Set(['inbox', 'inboxCounts', 'documents', 'document', 'dossiers']);

export function answerInSqlPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return { responseForOperation: answerInSql };
    },
  };
}

async function answerInSql(rc: GraphQLRequestContextResponseForOperation<Context>): Promise<GraphQLResponse | null> {
  const { operation, schema, document } = rc;
  if (operation.operation !== 'query') return null;
  const queryType = schema.getQueryType();
  if (!queryType) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], rc.request.variables ?? {});
  if (variables.errors) return null;
  const fields = collectFields(schema, fragments, variables.coerced, queryType, operation.selectionSet);
  for (const nodes of fields.values()) {
    const name = nodes[0].name.value;
    if (name !== '__typename' && !ANSWERED_IN_SQL.has(name)) return null;
  }
  const data: Record<string, unknown> = {};
  for (const [key, nodes] of fields) {
    const name = nodes[0].name.value;
    if (name === '__typename') {
      data[key] = queryType.name;
      continue;
    }
    const def = queryType.getFields()[name];
    if (!def?.resolve) return null;
    const info: GraphQLResolveInfo = askRaw({
      fieldName: name,
      fieldNodes: nodes,
      returnType: def.type,
      parentType: queryType,
      path: { prev: undefined, key, typename: queryType.name },
      schema,
      fragments,
      rootValue: undefined,
      operation,
      variableValues: variables.coerced,
    });
    try {
      const value: unknown = await def.resolve(undefined, getArgumentValues(def, nodes[0], variables.coerced), rc.contextValue, info);
      if (!(value instanceof RawJson)) return null;
      data[key] = value;
    } catch {
      // Refused, not answerable in SQL, or failed: the ordinary execution gives the answer or the error.
      return null;
    }
  }
  return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
}

/**
 * Apollo's serialisation of a result (`JSON.stringify` and a newline), with the raw answers of
 * root fields written as PostgreSQL wrote them.
 */
export function stringifyResult(value: FormattedExecutionResult): string {
  const data = value.data;
  if (!data || !Object.values(data).some((v) => v instanceof RawJson)) return `${JSON.stringify(value)}\n`;
  const parts: string[] = [];
  if (value.errors !== undefined) parts.push(`"errors":${JSON.stringify(value.errors)}`);
  parts.push(
    `"data":{${Object.entries(data)
      .map(([k, v]) => `${JSON.stringify(k)}:${v instanceof RawJson ? v.text : JSON.stringify(v)}`)
      .join(',')}}`,
  );
  if (value.extensions !== undefined) parts.push(`"extensions":${JSON.stringify(value.extensions)}`);
  return `{${parts.join(',')}}\n`;
}
