import { raw } from '@mikro-orm/core';
import type { Action, AppAbility, SubjectType } from '../domain/permissions/ability';
import { accessibleWhere as domainAccessibleWhere } from '../domain/permissions/to-filter';

/**
 * A document's membership in its assignments, written where the filter is built: `{ assignments:
 * { $some: cond } }` — what a permission rule (CASL's `$elemMatch`) or an inbox view says — becomes a
 * correlated `exists (select 1 from assignment where document_id = <the document> and <cond>)`.
 * MikroORM would write `id in (select id from document inner join assignment …)`, which under the OR
 * of the permission filter made PostgreSQL scan the document table; the EXISTS is driven by the
 * assignment indexes (see docs/performance.md). Parameters only: values never enter the SQL text.
 */

/** The assignment columns a membership condition may name (property → column). */
const COLUMNS: Record<string, string> = {
  scopeUnit: 'scope_unit_id',
  assignee: 'assignee_id',
  assigneeUnit: 'assignee_unit_id',
  assignedBy: 'assigned_by_id',
  active: 'active',
  state: 'state',
  role: 'role',
  deadline: 'deadline',
  returnHandled: 'return_handled',
};

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype;

/** The SQL of one condition on the assignment row `a`, with its parameters appended to `params`; null for a shape not known here. */
function conditionSql(cond: unknown, params: unknown[]): string | null {
  if (!isPlain(cond)) return null;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(cond)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) return null;
      const inner = value.map((c) => conditionSql(c, params));
      if (inner.some((c) => c === null)) return null;
      if (inner.length === 0) parts.push(key === '$and' ? 'true' : 'false');
      else parts.push(`(${inner.join(key === '$and' ? ' and ' : ' or ')})`);
    } else if (key === '$not') {
      const inner = conditionSql(value, params);
      if (inner === null) return null;
      parts.push(`not (${inner})`);
    } else {
      const column = COLUMNS[key];
      if (!column) return null;
      const sql = columnSql(`"asg"."${column}"`, value, params);
      if (sql === null) return null;
      parts.push(sql);
    }
  }
  return parts.length ? parts.join(' and ') : 'true';
}

function columnSql(column: string, value: unknown, params: unknown[]): string | null {
  if (value === null) return `${column} is null`;
  if (!isPlain(value)) {
    if (typeof value === 'object' && !(value instanceof Date)) return null;
    params.push(value);
    return `${column} = ?`;
  }
  const parts: string[] = [];
  for (const [op, v] of Object.entries(value)) {
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(v)) return null;
      if (v.length === 0) parts.push(op === '$in' ? 'false' : 'true');
      else {
        params.push(...(v as unknown[]));
        parts.push(`${column} ${op === '$in' ? 'in' : 'not in'} (${v.map(() => '?').join(', ')})`);
      }
    } else if (COMPARISONS[op]) {
      if (v === null && (op === '$eq' || op === '$ne')) parts.push(`${column} is ${op === '$ne' ? 'not ' : ''}null`);
      else if (v === null || (typeof v === 'object' && !(v instanceof Date))) return null;
      else {
        params.push(v);
        parts.push(`${column} ${COMPARISONS[op]} ?`);
      }
    } else return null;
  }
  return parts.length ? parts.join(' and ') : 'true';
}

/** `exists (…)` for "some assignment of the document matches `cond`", as a filter entry; null for a shape not known here. */
function assignmentsExist(cond: unknown): Record<string, unknown> | null {
  const params: unknown[] = [];
  const sql = conditionSql(cond, params);
  if (sql === null) return null;
  // A new fragment for every filter: MikroORM consumes a raw key when it renders it.
  const fragment = raw((alias: string) => `exists (select 1 from "assignment" as "asg" where "asg"."document_id" = ${alias}."id" and ${sql})`, params);
  return { [fragment as unknown as string]: [] };
}

/**
 * The filter with every `assignments: { $some: … }` written as a correlated EXISTS. Anything of
 * another shape is left as it is (MikroORM's own subquery: the same rows).
 */
export function membershipAsExists<T>(filter: T): T {
  if (Array.isArray(filter)) return filter.map((f: unknown) => membershipAsExists(f)) as T;
  if (!isPlain(filter)) return filter;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'assignments' && isPlain(value) && Object.keys(value).length === 1 && '$some' in value) {
      const exists = assignmentsExist(value.$some);
      if (exists) {
        Object.assign(out, exists);
        continue;
      }
    }
    out[key] = membershipAsExists(value);
  }
  return out as T;
}

/** The MikroORM filter of the rows the ability allows (src/domain/permissions/to-filter.ts), membership as EXISTS. */
export function accessibleWhere(ability: AppAbility, action: Action, subject: SubjectType): Record<string, unknown> {
  return membershipAsExists(domainAccessibleWhere(ability, action, subject));
}
