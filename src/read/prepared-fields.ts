import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { toGlobalId } from '../graphql/global-id';
import { isCompiled, type Compiled } from './compiled';
import { historyPage } from './document-reads';
import { GLOBAL_IDS } from './global-ids';

/**
 * The fields of compiled objects (src/read/document-sql.ts) answered without entering type-graphql.
 * type-graphql runs each class field resolver through its parameter pipeline, which turns the root into
 * an instance of the declared class (`new IncomingDocument()`, a UUID drawn, then every prepared value
 * copied over) before the resolver sees it: for a page of 50 documents with nested people and units
 * that is thousands of entity constructions per request, only for the resolver to hand back the value
 * the statement already prepared. Here, for a compiled object only, the field resolvers that do no more
 * than that (`prepared(x, field) ?? lookup`, `toGlobalId(kind, x.id)`, `historyPage(prepared)`) are
 * answered directly; every other field, and every ORM entity, goes through its resolver as before.
 */

/** GraphQL type → the relations its resolvers pass through (ids: src/read/global-ids.ts). */
const PASS: Record<string, { relations: string[] }> = {
  IncomingDocument: { relations: ['keepingUnit', 'register', 'documentType', 'attachments', 'lastEvent', 'sender', 'assignments'] },
  OutgoingDocument: { relations: ['keepingUnit', 'register', 'documentType', 'attachments', 'lastEvent'] },
  Unit: { relations: [] },
  Account: { relations: ['unit'] },
  Correspondent: { relations: [] },
  DocumentType: { relations: [] },
  Register: { relations: ['keepingUnit'] },
  Attachment: { relations: [] },
  Assignment: { relations: ['assignee', 'assigneeUnit', 'assignedBy'] },
  RoutingEvent: { relations: ['actor'] },
  Dossier: { relations: ['creator', 'keepingUnit', 'documents', 'documentCount', 'pageCount'] },
};

function wrap(resolve: GraphQLFieldResolver<unknown, unknown>, fast: (source: Compiled) => unknown, field: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => (isCompiled(source) && field in source ? fast(source) : resolve(source, args, context, info));
}

export function answerPreparedFields(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, pass] of Object.entries(PASS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`answerPreparedFields: no object type ${typeName}`);
    const fields = type.getFields();
    const at = (name: string) => {
      const field = fields[name];
      if (!field?.resolve) throw new Error(`answerPreparedFields: ${typeName}.${name} has no resolver`);
      return field as typeof field & { resolve: GraphQLFieldResolver<unknown, unknown> };
    };
    const id = GLOBAL_IDS[typeName];
    if (id) {
      const [kind, key] = id;
      const field = at('id');
      field.resolve = wrap(field.resolve, (s) => toGlobalId(kind, String(s[key])), key);
    }
    for (const name of pass.relations) {
      const field = at(name);
      field.resolve = wrap(field.resolve, (s) => s[name], name);
    }
    if (fields.history) {
      const field = at('history');
      field.resolve = wrap(field.resolve, (s) => historyPage(s.history as Parameters<typeof historyPage>[0]), 'history');
    }
  }
  return schema;
}
