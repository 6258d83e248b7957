import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getMetadataStorage } from 'type-graphql';
import { pageSize } from '../graphql/pagination';
import {
  ACCOUNT,
  ASSIGNMENT,
  ATTACHMENT,
  Aliases,
  CORRESPONDENT,
  DOCUMENT,
  DOCUMENT_TYPE,
  EVENT,
  REGISTER,
  type TypeSpec,
  UNIT,
  buildObject,
  lit,
  snake,
} from './document-sql';
import { base64url, globalId, valueOf } from './response-values';

/**
 * Reads answered as the GraphQL response itself, built in PostgreSQL: the JSON of a root field with the
 * request's own response keys (aliases), in the request's field order, with ids, cursors, instants and
 * enum names already as the API writes them. The server then sends PostgreSQL's text as it came, with
 * no object built, executed or serialised in Node (src/read/fast-operation.ts).
 *
 * The tables and columns come from the same type specs as the compiled reads (src/read/document-sql.ts);
 * this file says only how each field is written in a response. A field it does not know (one a field
 * rule guards, one a resolver computes from outside the row, one added later) makes the whole request
 * take the ordinary path: `null` here, never a guess. tests/e2e/fast-read.e2e.spec.ts asks every field
 * listed here through both paths, for every demo account, and compares the answers.
 */

export interface ResponseScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  a: Aliases;
}

type Nodes = readonly FieldNode[];
/** A relation's JSON for the row `row`, its field (definition and nodes), or null when it does not compile. */
type Related = (row: string, def: GraphQLField<unknown, unknown>, nodes: Nodes, s: ResponseScope) => string | null;

export interface Written {
  spec: TypeSpec;
  /** Fields computed from the row, as their resolvers compute them. */
  computed?: Record<string, (row: string) => string>;
  related?: Record<string, Related>;
}

// ---- objects ------------------------------------------------------------------------------------

function typeOf(s: ResponseScope, name: string): GraphQLObjectType | null {
  const t = s.schema.getType(name);
  return isObjectType(t) ? t : null;
}

/**
 * `Type.field` of every field a resolver computes (type-graphql's field resolvers, an interface's for
 * each type implementing it). Such a field is written here only as `id`, `computed` or `related` says,
 * never read from its column: a resolver added later to a column's field sends requests asking it down
 * the ordinary path until this file writes what the resolver does.
 */
const resolvedFields = new WeakMap<GraphQLSchema, Set<string>>();
function fieldsWithResolvers(schema: GraphQLSchema): Set<string> {
  let fields = resolvedFields.get(schema);
  if (!fields) {
    const metadata = getMetadataStorage();
    const names = new Map<unknown, string>([...metadata.objectTypes, ...metadata.interfaceTypes].map((t) => [t.target, t.name]));
    fields = new Set();
    for (const r of metadata.fieldResolvers) {
      const typeName = names.get(r.getObjectType?.());
      const type = typeName ? schema.getType(typeName) : undefined;
      if (!type) continue;
      for (const t of isInterfaceType(type) ? schema.getPossibleTypes(type) : [type]) fields.add(`${t.name}.${r.schemaName}`);
    }
    resolvedFields.set(schema, fields);
  }
  return fields;
}

/** Whether `name` of `typeName` is read from its column as it is. */
export function plainColumn(schema: GraphQLSchema, typeName: string, written: Written, name: string): boolean {
  return written.spec.columns.includes(name) && !written.spec.derived?.[name] && !fieldsWithResolvers(schema).has(`${typeName}.${name}`);
}

/** The JSON object of the concrete GraphQL type `typeName` for the row `row`, with what `nodes` ask, in response order. */
export function objectJson(s: ResponseScope, typeName: string, row: string, nodes: Nodes): string | null {
  const type = typeOf(s, typeName);
  const written = WRITTEN[typeName];
  if (!type || !written) return null;
  const pairs: Array<[string, string]> = [];
  for (const [key, fieldNodes] of collectSubfields(s.schema, s.fragments, s.variables, type, nodes)) {
    const name = fieldNodes[0].name.value;
    if (name === '__typename') {
      pairs.push([key, lit(typeName)]);
      continue;
    }
    const def = type.getFields()[name];
    if (!def) return null;
    let expr: string | null = null;
    if (name === 'id') expr = globalId(typeName, row);
    else if (written.computed?.[name]) expr = written.computed[name](row);
    else if (written.related?.[name]) expr = written.related[name](row, def, fieldNodes, s);
    else if (plainColumn(s.schema, typeName, written, name)) expr = valueOf(def.type, `${row}.${snake(name)}`);
    if (expr === null) return null;
    pairs.push([key, expr]);
  }
  return pairs.length ? buildObject(pairs) : `'{}'::json`;
}

/** One of several concrete types, chosen per row by a condition. */
function choiceJson(s: ResponseScope, cases: Array<[condition: string, typeName: string]>, row: string, nodes: Nodes): string | null {
  const parts: string[] = [];
  for (const [condition, typeName] of cases) {
    const obj = objectJson(s, typeName, row, nodes);
    if (obj === null) return null;
    parts.push(`when ${condition} then ${obj}`);
  }
  return `case ${parts.join(' ')} end`;
}

/** A document row as IncomingDocument or OutgoingDocument. */
export function documentObjectJson(s: ResponseScope, row: string, nodes: Nodes): string | null {
  return choiceJson(
    s,
    [
      [`${row}.direction = 'INCOMING'`, 'IncomingDocument'],
      [`${row}.direction = 'OUTGOING'`, 'OutgoingDocument'],
    ],
    row,
    nodes,
  );
}

/** One object by its key: `(select json from table where key = fk)`; null in JSON when there is none. */
function one(typeName: string, table: string, key: string, fk: (row: string) => string): Related {
  return (row, _def, nodes, s) => {
    const t = s.a.next('o');
    const obj = objectJson(s, typeName, t, nodes);
    return obj && `(select ${obj} from "${table}" as ${t} where ${t}.${key} = ${fk(row)})`;
  };
}

/** A list: `coalesce((select json_agg(json order by …) from …), '[]')`. */
function many(typeName: string, from: (t: string, row: string) => string, order: (t: string) => string): Related {
  return (row, _def, nodes, s) => {
    const t = s.a.next('o');
    const obj = objectJson(s, typeName, t, nodes);
    return obj && `coalesce((select json_agg(${obj} order by ${order(t)}) from ${from(t, row)}), '[]'::json)`;
  };
}

const unitBy = (fk: (row: string) => string) => one('Unit', 'unit', 'id', fk);
const accountBy = (fk: (row: string) => string) => one('Account', 'account', 'id', fk);

/** The last routing event of a document. */
const lastEvent: Related = (row, _def, nodes, s) => {
  const t = s.a.next('o');
  const obj = objectJson(s, 'RoutingEvent', t, nodes);
  return obj && `(select ${obj} from routing_event as ${t} where ${t}.document_id = ${row}.id order by ${t}.id desc limit 1)`;
};

/** Who sent an incoming document: a correspondent or a unit of this deployment. */
const sender: Related = (row, _def, nodes, s) => {
  const [c, u] = [s.a.next('o'), s.a.next('o')];
  const correspondent = objectJson(s, 'Correspondent', c, nodes);
  const unit = objectJson(s, 'Unit', u, nodes);
  if (correspondent === null || unit === null) return null;
  return (
    `case when ${row}.sender_correspondent_id is not null then (select ${correspondent} from correspondent as ${c} where ${c}.id = ${row}.sender_correspondent_id)` +
    ` when ${row}.sender_unit_id is not null then (select ${unit} from unit as ${u} where ${u}.id = ${row}.sender_unit_id) end`
  );
};

/** A page of a connection built from rows already chosen: edges (cursor, node), pageInfo, totalCount. */
export interface ConnectionParts {
  /** SQL of the page's rows (first + 1 of them, in page order), each as `row`. */
  rows: string | null;
  size: number;
  order: (row: string) => string;
  reverse: (row: string) => string;
  cursor: (row: string) => string;
  node: (row: string, nodes: Nodes) => string | null;
  total: string | null;
}

/** The JSON of a connection (`typeName`) with what `nodes` ask, or null. */
export function connectionJson(s: ResponseScope, typeName: string, nodes: Nodes, c: ConnectionParts): string | null {
  const type = typeOf(s, typeName);
  if (!type) return null;
  const page = (t: string) => `(select * from (${c.rows}) as ${t}x order by ${c.order(`${t}x`)} limit ${c.size}) as ${t}`;
  const pairs: Array<[string, string]> = [];
  for (const [key, fieldNodes] of collectSubfields(s.schema, s.fragments, s.variables, type, nodes)) {
    const name = fieldNodes[0].name.value;
    if (name === '__typename') pairs.push([key, lit(typeName)]);
    else if (name === 'totalCount') {
      if (c.total === null) return null;
      pairs.push([key, `(${c.total})::int`]);
    } else if (name === 'edges') {
      const edgeType = getNamedType(type.getFields().edges.type);
      if (!isObjectType(edgeType)) return null;
      const t = s.a.next('e');
      const edge: Array<[string, string]> = [];
      for (const [ekey, enodes] of collectSubfields(s.schema, s.fragments, s.variables, edgeType, fieldNodes)) {
        const ename = enodes[0].name.value;
        let expr: string | null = null;
        if (ename === '__typename') expr = lit(edgeType.name);
        else if (ename === 'cursor') expr = c.cursor(t);
        else if (ename === 'node') expr = c.node(t, enodes);
        if (expr === null) return null;
        edge.push([ekey, expr]);
      }
      const obj = edge.length ? buildObject(edge) : `'{}'::json`;
      pairs.push([key, c.rows === null ? `'[]'::json` : `coalesce((select json_agg(${obj} order by ${c.order(t)}) from ${page(t)}), '[]'::json)`]);
    } else if (name === 'pageInfo') {
      const infoType = getNamedType(type.getFields().pageInfo.type);
      if (!isObjectType(infoType)) return null;
      const t = s.a.next('e');
      const info: Array<[string, string]> = [];
      for (const [ikey, inodes] of collectSubfields(s.schema, s.fragments, s.variables, infoType, fieldNodes)) {
        const iname = inodes[0].name.value;
        if (iname === '__typename') info.push([ikey, lit(infoType.name)]);
        else if (iname === 'hasNextPage') info.push([ikey, c.rows === null ? 'false' : `(select count(*) from (${c.rows}) as ${t}n) > ${c.size}`]);
        else if (iname === 'endCursor')
          info.push([ikey, c.rows === null ? 'null' : `(select ${c.cursor(t)} from ${page(t)} order by ${c.reverse(t)} limit 1)`]);
        else return null;
      }
      pairs.push([key, info.length ? buildObject(info) : `'{}'::json`]);
    } else return null;
  }
  return pairs.length ? buildObject(pairs) : `'{}'::json`;
}

/** history(first): the first page of a document's routing events, oldest first (a later page takes the ordinary path). */
const history: Related = (row, def, nodes, s) => {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(def, nodes[0], s.variables);
  } catch {
    return null;
  }
  if (nodes.some((n) => JSON.stringify(getArgumentValues(def, n, s.variables)) !== JSON.stringify(args))) return null;
  if (args.after) return null;
  let size: number;
  try {
    size = pageSize(args.first as number | null | undefined);
  } catch {
    return null; // the ordinary path refuses it, on the field, as it always did
  }
  const t = s.a.next('h');
  return connectionJson(s, getNamedType(def.type).name, nodes, {
    rows: size === 0 ? null : `select * from routing_event as ${t} where ${t}.document_id = ${row}.id order by ${t}.id limit ${size + 1}`,
    size,
    order: (r) => `${r}.id`,
    reverse: (r) => `${r}.id desc`,
    cursor: (r) => base64url(`'["' || ${r}.id || '","' || ${r}.id || '"]'`),
    node: (r, n) => objectJson(s, 'RoutingEvent', r, n),
    total: `select count(*) from routing_event as ${t}c where ${t}c.document_id = ${row}.id`,
  });
};

// ---- what each type writes ---------------------------------------------------------------------------

const DOCUMENT_RELATED: Record<string, Related> = {
  keepingUnit: unitBy((d) => `${d}.keeping_unit_id`),
  register: one('Register', 'register', 'id', (d) => `${d}.register_id`),
  documentType: one('DocumentType', 'document_type', 'code', (d) => `${d}.document_type_code`),
  attachments: many(
    'Attachment',
    (t, d) => `document_attachment as ${t}a join stored_file as ${t} on ${t}.id = ${t}a.file_id where ${t}a.document_id = ${d}.id`,
    (t) => `${t}a.ordinal`,
  ),
  lastEvent,
  history,
};

const numberAndSymbol = (d: string) => `nullif(concat_ws('/', nullif(${d}.number, ''), nullif(${d}.symbol, '')), '')`;

/**
 * A dossier's filed documents the viewer may read: the rows of `f` (dossier_id, ordinal, document_id),
 * a common table expression of the page's statement (src/read/dossier-reads.ts rawDossierPage).
 */
const filedDocuments: Related = (row, def, nodes, s) => {
  const entryType = getNamedType(def.type);
  if (!isObjectType(entryType)) return null;
  const [f, d] = [s.a.next('f'), s.a.next('d')];
  const pairs: Array<[string, string]> = [];
  for (const [key, entryNodes] of collectSubfields(s.schema, s.fragments, s.variables, entryType, nodes)) {
    const name = entryNodes[0].name.value;
    let expr: string | null = null;
    if (name === '__typename') expr = lit(entryType.name);
    else if (name === 'ordinal') expr = `${f}.ordinal`;
    else if (name === 'document') expr = documentObjectJson(s, d, entryNodes);
    if (expr === null) return null;
    pairs.push([key, expr]);
  }
  const entry = pairs.length ? buildObject(pairs) : `'{}'::json`;
  return `coalesce((select json_agg(${entry} order by ${f}.ordinal) from f as ${f} join document as ${d} on ${d}.id = ${f}.document_id where ${f}.dossier_id = ${row}.id), '[]'::json)`;
};

const DOSSIER: TypeSpec = {
  kind: 'Dossier',
  columns: ['code', 'year', 'notation', 'title', 'rights', 'language', 'startDate', 'endDate', 'note', 'state', 'closedAt'],
  derived: { retention: ['retentionYears'], handoverDue: ['closedAt'] },
};

const WRITTEN: Record<string, Written> = {
  Dossier: {
    spec: DOSSIER,
    computed: {
      documentCount: (x) => `(select count(*)::int from f where f.dossier_id = ${x}.id)`,
      pageCount: (x) => `(select coalesce(sum(fd.page_count), 0)::int from f join document as fd on fd.id = f.document_id where f.dossier_id = ${x}.id)`,
    },
    related: {
      creator: accountBy((x) => `${x}.owner_id`),
      keepingUnit: unitBy((x) => `${x}.keeping_unit_id`),
      documents: filedDocuments,
    },
  },
  IncomingDocument: {
    spec: DOCUMENT,
    computed: { numberAndSymbol },
    related: {
      ...DOCUMENT_RELATED,
      sender,
      assignments: many(
        'Assignment',
        (t, d) => `assignment as ${t} where ${t}.document_id = ${d}.id`,
        (t) => `${t}.created_at, ${t}.id`,
      ),
    },
  },
  OutgoingDocument: { spec: DOCUMENT, computed: { numberAndSymbol }, related: DOCUMENT_RELATED },
  Unit: { spec: UNIT },
  Correspondent: { spec: CORRESPONDENT },
  Account: { spec: ACCOUNT, related: { unit: unitBy((t) => `${t}.unit_id`) } },
  DocumentType: { spec: DOCUMENT_TYPE },
  Register: { spec: REGISTER, related: { keepingUnit: unitBy((t) => `${t}.keeping_unit_id`) } },
  // size: its resolver makes a number of the bigint, as PostgreSQL's JSON writes it.
  Attachment: { spec: ATTACHMENT, computed: { url: (t) => `'/files/' || ${globalId('Attachment', t)}`, size: (t) => `${t}.size` } },
  RoutingEvent: { spec: EVENT, related: { actor: accountBy((t) => `${t}.actor_id`) } },
  Assignment: {
    spec: ASSIGNMENT,
    related: {
      assignee: accountBy((t) => `${t}.assignee_id`),
      assigneeUnit: unitBy((t) => `${t}.assignee_unit_id`),
      assignedBy: accountBy((t) => `${t}.assigned_by_id`),
    },
  },
};

/** The fields of each type a response is written for here (the differential test asks them all). */
export function writtenFields(schema: GraphQLSchema): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [typeName, w] of Object.entries(WRITTEN)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    out[typeName] = Object.keys(type.getFields()).filter(
      (name) =>
        name === 'id' ||
        !!w.computed?.[name] ||
        !!w.related?.[name] ||
        (plainColumn(schema, typeName, w, name) && valueOf(type.getFields()[name].type, 'x') !== null),
    );
  }
  return out;
}
