import { pageSize } from '../graphql/pagination';
import type { Selection } from './selection';

/**
 * Compiles what a request asks of a document (and of what hangs off it: unit, register, type,
 * attachments, events, sender, assignments with their people) into one SQL expression building the
 * JSON in PostgreSQL, nested lists as correlated sub-selects. Only the fields listed here compile;
 * a selection with any other field (one added later, say) returns null and the read takes the ORM
 * path with its field resolvers, so nothing stops resolving. Field resolvers that compute a value
 * (ids, numberAndSymbol, submissionOverdue, the field rules of `instruction` and `note`) still run,
 * on the columns prepared for them.
 */

/** Builds unique aliases for one statement. */
export class Aliases {
  private n = 0;
  next(prefix: string): string {
    return `${prefix}${++this.n}`;
  }
}

export const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// An instant travels as PostgreSQL writes it in JSON (ISO 8601 with its offset), marked so it becomes a Date.
const ts = (expr: string) => `json_build_object('$t', ${expr})`;
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export type Relation = (alias: string, sel: Selection | null, field: { args: Record<string, unknown> }, a: Aliases) => string | null;

export interface TypeSpec {
  kind: string;
  /** Scalar fields read from a column of the same name in snake case. */
  columns: string[];
  /** Columns holding instants (sent as Dates). */
  instants?: string[];
  /** Fields a resolver computes, with the fields it reads. */
  derived?: Record<string, string[]>;
  /** Fields always sent, for resolvers, cursors and field rules. */
  always?: string[];
  relations?: Record<string, Relation>;
}

/**
 * json_build_object over pairs: plain json, several times cheaper to build and aggregate than jsonb; past
 * 45 pairs (PostgreSQL takes at most 100 arguments a call) jsonb chunks joined with `||`.
 */
export function buildObject(pairs: Array<[string, string]>): string {
  const args = (part: Array<[string, string]>) => part.map(([k, v]) => `${lit(k)}, ${v}`).join(', ');
  if (pairs.length <= 45) return `json_build_object(${args(pairs)})`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 45) chunks.push(`jsonb_build_object(${args(pairs.slice(i, i + 45))})`);
  return `(${chunks.join(' || ')})::json`;
}

/** The JSON object of `spec` for the row `alias`, with what `sel` asks; null when `sel` asks a field not compiled. */
export function objectOf(spec: TypeSpec, alias: string, sel: Selection | null, a: Aliases, kindExpr?: string): string | null {
  const pairs: Array<[string, string]> = [['__kind', kindExpr ?? lit(spec.kind)]];
  const wanted = new Set<string>([...(spec.derived?.id ?? ['id']), ...(spec.always ?? [])]);
  const relations: Array<[string, string]> = [];
  for (const [name, f] of sel?.fields ?? []) {
    if (name === '__typename') continue;
    if (f.conflict) return null;
    if (spec.derived?.[name]) for (const d of spec.derived[name]) wanted.add(d);
    else if (name === 'id')
      continue; // sent always (the resolver makes the global id)
    else if (spec.columns.includes(name)) wanted.add(name);
    else if (spec.relations?.[name]) {
      const expr = spec.relations[name](alias, f.selection, f, a);
      if (expr === null) return null;
      relations.push([name, expr]);
    } else return null;
  }
  for (const name of wanted) {
    if (relations.some(([r]) => r === name)) continue;
    const rel = spec.relations?.[name];
    if (rel) {
      // A field a resolver reads (the ids of the assignee behind a field rule, say), not asked itself.
      const expr = rel(alias, { fields: new Map() }, { args: {} }, a);
      if (expr === null) return null;
      relations.push([name, expr]);
      continue;
    }
    const col = `${alias}.${name === 'txid' || name === 'id' ? name : snake(name)}`;
    pairs.push([name, spec.instants?.includes(name) ? ts(col) : name === 'txid' || (spec.kind === 'RoutingEvent' && name === 'id') ? `${col}::text` : col]);
  }
  return buildObject([...pairs, ...relations]);
}

/** One object by its key: `(select json from table where id = fk)`. */
function one(spec: TypeSpec, table: string, key: string, fk: (alias: string) => string): Relation {
  return (alias, sel, _f, a) => {
    const t = a.next('r');
    const obj = objectOf(spec, t, sel, a);
    return obj && `(select ${obj} from "${table}" as ${t} where ${t}.${key} = ${fk(alias)})`;
  };
}

/** A list: `coalesce((select json_agg(json order by …) from table where fk = alias.id), '[]')`. */
function many(spec: TypeSpec, from: (t: string, alias: string) => string, order: (t: string) => string): Relation {
  return (alias, sel, _f, a) => {
    const t = a.next('r');
    const obj = objectOf(spec, t, sel, a);
    return obj && `coalesce((select json_agg(${obj} order by ${order(t)}) from ${from(t, alias)}), '[]'::json)`;
  };
}

export const UNIT: TypeSpec = { kind: 'Unit', columns: ['name', 'shortName', 'code', 'kind', 'keepsRecords'] };
export const unitBy = (fk: (alias: string) => string) => one(UNIT, 'unit', 'id', fk);

export const CORRESPONDENT: TypeSpec = { kind: 'Correspondent', columns: ['name', 'shortName', 'organId'] };

export const ACCOUNT: TypeSpec = {
  kind: 'Account',
  columns: ['username', 'fullName', 'position', 'roles', 'status'],
  relations: { unit: unitBy((t) => `${t}.unit_id`) },
};
export const accountBy = (fk: (alias: string) => string) => one(ACCOUNT, 'account', 'id', fk);

export const DOCUMENT_TYPE: TypeSpec = { kind: 'DocumentType', columns: ['code', 'name', 'abbreviation'], derived: { id: ['code'] } };

export const REGISTER: TypeSpec = {
  kind: 'Register',
  columns: ['direction', 'year', 'lastNumber'],
  relations: { keepingUnit: unitBy((t) => `${t}.keeping_unit_id`) },
};

export const ATTACHMENT: TypeSpec = { kind: 'StoredFile', columns: ['name', 'mimeType', 'sha256', 'size'], derived: { url: [] } };

export const EVENT: TypeSpec = {
  kind: 'RoutingEvent',
  columns: ['type', 'fromState', 'toState', 'at'],
  instants: ['at'],
  derived: { cursor: ['txid'], note: ['note'] },
  relations: { actor: accountBy((t) => `${t}.actor_id`) },
};
// note is read by its resolver under the field rule; its column is sent for it.
EVENT.columns.push('note', 'txid');

export const ASSIGNMENT: TypeSpec = {
  kind: 'Assignment',
  columns: ['role', 'deadline', 'state', 'completedAt', 'result', 'returnReason', 'createdAt', 'active'],
  instants: ['completedAt', 'createdAt'],
  derived: { instruction: ['instruction', 'active', 'assignee', 'assigneeUnit'] },
  relations: {
    assignee: accountBy((t) => `${t}.assignee_id`),
    assigneeUnit: unitBy((t) => `${t}.assignee_unit_id`),
    assignedBy: accountBy((t) => `${t}.assigned_by_id`),
  },
};
ASSIGNMENT.columns.push('instruction');

/** history(first, after): the first page only (a later page takes the ORM path); first + 1 rows tell hasNextPage. */
const history: Relation = (alias, sel, f, a) => {
  if (f.args.after) return null;
  let size: number;
  try {
    size = pageSize(f.args.first as number | null | undefined);
  } catch {
    return null; // the ORM path refuses it, on the field, as it always did
  }
  const wantsEdges = sel?.fields.has('edges') || sel?.fields.has('pageInfo');
  for (const [name, field] of sel?.fields ?? []) if (field.conflict || !['edges', 'pageInfo', 'totalCount', '__typename'].includes(name)) return null;
  const t = a.next('r');
  const node = sel?.fields.get('edges')?.selection?.fields.get('node')?.selection ?? null;
  for (const [name, field] of sel?.fields.get('edges')?.selection?.fields ?? [])
    if (field.conflict || !['node', 'cursor', '__typename'].includes(name)) return null;
  const obj = objectOf({ ...EVENT, always: ['txid'] }, t, node, a);
  if (!obj) return null;
  const pairs: Array<[string, string]> = [
    ['__kind', `'RoutingEventConnection'`],
    ['first', String(size)],
  ];
  if (sel?.fields.has('totalCount')) pairs.push(['totalCount', `(select count(*)::int from routing_event as ${t}c where ${t}c.document_id = ${alias}.id)`]);
  if (wantsEdges) {
    pairs.push([
      'rows',
      `coalesce((select json_agg(${obj} order by ${t}.id) from (select * from routing_event as ${t}x where ${t}x.document_id = ${alias}.id` +
        ` order by ${t}x.id limit ${size === 0 ? 0 : size + 1}) as ${t}), '[]'::json)`,
    ]);
  }
  return buildObject(pairs);
};

const lastEvent: Relation = (alias, sel, _f, a) => {
  const t = a.next('r');
  const obj = objectOf(EVENT, t, sel, a);
  return obj && `(select ${obj} from routing_event as ${t} where ${t}.document_id = ${alias}.id order by ${t}.id desc limit 1)`;
};

const sender: Relation = (alias, sel, _f, a) => {
  for (const name of sel?.fields.keys() ?? [])
    if (name !== '__typename' && !UNIT.columns.includes(name) && !CORRESPONDENT.columns.includes(name) && name !== 'id') return null;
  const only = (spec: TypeSpec): Selection => ({ fields: new Map([...(sel?.fields ?? [])].filter(([n]) => n === 'id' || spec.columns.includes(n))) });
  const c = one(CORRESPONDENT, 'correspondent', 'id', (x) => `${x}.sender_correspondent_id`)(alias, only(CORRESPONDENT), { args: {} }, a);
  const u = unitBy((x) => `${x}.sender_unit_id`)(alias, only(UNIT), { args: {} }, a);
  return c && u && `case when ${alias}.sender_correspondent_id is not null then ${c} when ${alias}.sender_unit_id is not null then ${u} end`;
};

export const INCOMING_COLUMNS = ['arrivalNumber', 'arrivalDate', 'arrivalChannel', 'receivedAt', 'registeredAt', 'submittedAt', 'rejectionReason'];
export const OUTGOING_COLUMNS = ['version', 'signedAt', 'issuedAt', 'returnReason', 'recalledAt', 'recallReason'];

/** Both kinds of document: a field of either compiles (the executor asks each row only its own type's fields). */
export const DOCUMENT: TypeSpec = {
  kind: 'Document',
  columns: [
    ...['number', 'symbol', 'issuedDate', 'issuer', 'subject', 'language', 'pageCount', 'note', 'signerName', 'signerPosition', 'urgency', 'dueDate'],
    ...['exchangeDocumentId', 'state', 'direction', 'createdAt', ...INCOMING_COLUMNS, ...OUTGOING_COLUMNS],
  ],
  instants: ['createdAt', 'receivedAt', 'registeredAt', 'submittedAt', 'signedAt', 'issuedAt', 'recalledAt'],
  derived: { numberAndSymbol: ['number', 'symbol'], submissionOverdue: ['state', 'registeredAt', 'urgency'] },
  always: ['createdAt', 'direction'],
  relations: {
    keepingUnit: unitBy((d) => `${d}.keeping_unit_id`),
    register: one(REGISTER, 'register', 'id', (d) => `${d}.register_id`),
    documentType: one(DOCUMENT_TYPE, 'document_type', 'code', (d) => `${d}.document_type_code`),
    attachments: many(
      ATTACHMENT,
      (t, d) => `document_attachment as ${t}a join stored_file as ${t} on ${t}.id = ${t}a.file_id where ${t}a.document_id = ${d}.id`,
      (t) => `${t}a.ordinal`,
    ),
    lastEvent,
    history,
    sender,
    assignments: many(
      ASSIGNMENT,
      (t, d) => `assignment as ${t} where ${t}.document_id = ${d}.id`,
      (t) => `${t}.created_at, ${t}.id`,
    ),
  },
};

/** The JSON expression of a document row `alias` for a node selection, or null when the selection asks what is not compiled. */
export function documentJson(alias: string, node: Selection | null, a = new Aliases()): string | null {
  return objectOf(DOCUMENT, alias, node, a, `case when ${alias}.direction = 'INCOMING' then 'IncomingDocument' else 'OutgoingDocument' end`);
}
