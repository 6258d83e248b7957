import { subject } from '@casl/ability';
import type { AppAbility } from '../domain/permissions/ability';

/**
 * What the read rules of documents look at, for one document: the same fields, with the same
 * shapes, that CASL's conditions name and that `accessibleWhere` turns into SQL (ids as strings,
 * collections as arrays of plain objects). Loaded once per batch for every subscriber of the process
 * (src/events/document-facts.ts).
 */
export interface DocumentFacts {
  id: string;
  direction: 'INCOMING' | 'OUTGOING';
  keepingUnit: string;
  state: string;
  draftingUnit: string | null;
  drafter: string | null;
  assignments: Array<{ assignee: string | null; scopeUnit: string | null; assigneeUnit: string | null; active: boolean }>;
  recipients: Array<{ unit: string | null }>;
}

type DocumentSubject = 'IncomingDocument' | 'OutgoingDocument';
const SUBJECTS: readonly DocumentSubject[] = ['IncomingDocument', 'OutgoingDocument'];

/** The fields of {@link DocumentFacts} a rule may name, and inside a collection, the fields of its items. */
const KNOWN_FIELDS: Readonly<Record<string, ReadonlySet<string> | null>> = {
  keepingUnit: null,
  state: null,
  draftingUnit: null,
  drafter: null,
  direction: null,
  id: null,
  assignments: new Set(['assignee', 'scopeUnit', 'assigneeUnit', 'active']),
  recipients: new Set(['unit']),
};
/** Operators whose every match needs a value of the document equal to one written in the condition. */
const EQUALITY_OPERATORS = new Set(['$eq', '$in']);

/**
 * How a subscriber's read rules of documents can be decided in memory:
 * - `exact: false`: some rule names a field or an operator the facts do not carry; that subscriber is
 *   authorised by the database as before (`readableWhere`), never guessed;
 * - `any`: some allowing rule has no condition (or one that can match without naming an id): every
 *   document is a candidate;
 * - otherwise `keys`: every string an allowing rule compares a field with. A document can be allowed
 *   only if one of its own ids ({@link factKeys}) is among them: its audience. Deny rules only narrow,
 *   and the exact check ({@link mayRead}) decides every candidate.
 */
export interface ReadPlan {
  exact: boolean;
  any: boolean;
  keys: ReadonlySet<string>;
}

const plans = new WeakMap<AppAbility, ReadPlan>();

/** The {@link ReadPlan} of an ability (computed once per ability object: abilities are rebuilt when a session is checked again). */
export function readPlan(ability: AppAbility): ReadPlan {
  let plan = plans.get(ability);
  if (!plan) plans.set(ability, (plan = computePlan(ability)));
  return plan;
}

function computePlan(ability: AppAbility): ReadPlan {
  const keys = new Set<string>();
  let any = false;
  let exact = true;
  for (const type of SUBJECTS) {
    for (const rule of ability.rulesFor('read', type)) {
      const conditions = rule.conditions;
      if (!conditions || Object.keys(conditions).length === 0) {
        if (!rule.inverted) any = true;
        continue;
      }
      if (!knownCondition(conditions)) exact = false;
      // A rule without a single equality on an id could match any document.
      else if (!rule.inverted && !collectKeys(conditions, keys)) any = true;
    }
  }
  return { exact, any, keys };
}

/** Whether every field and operator of a condition is one the facts carry and CASL evaluates as SQL does. */
function knownCondition(c: Record<string, unknown>, items?: ReadonlySet<string>): boolean {
  for (const [field, value] of Object.entries(c)) {
    if (items ? !items.has(field) : !(field in KNOWN_FIELDS)) return false;
    const nested = items ? null : KNOWN_FIELDS[field];
    // A collection is matched only through $elemMatch (as `accessibleWhere` turns it into `$some`).
    if (value === null || typeof value !== 'object') {
      if (nested) return false;
      continue;
    }
    if (Array.isArray(value) || value instanceof Date) return false;
    for (const [op, arg] of Object.entries(value as Record<string, unknown>)) {
      if (op === '$elemMatch' && nested) {
        if (!arg || typeof arg !== 'object' || !knownCondition(arg as Record<string, unknown>, nested)) return false;
      } else if (!EQUALITY_OPERATORS.has(op)) return false;
    }
  }
  return true;
}

/**
 * How little of the stream a field's values single out: a condition is an AND of its fields, so a
 * document it allows carries, for every field compared by equality, one of the values written there;
 * the values of one field are enough to name its audience, and the narrowest field wakes the fewest
 * subscribers (a state such as ISSUED is shared by most of the stream, a person by few documents).
 */
const FIELD_BREADTH: Readonly<Record<string, number>> = {
  id: 0,
  drafter: 1,
  assignee: 1,
  assignments: 2,
  recipients: 3,
  draftingUnit: 3,
  scopeUnit: 3,
  assigneeUnit: 3,
  keepingUnit: 4,
  state: 9,
  direction: 9,
};

/** The strings a field's condition compares with by equality, or null when it compares with none. */
function equalityKeys(value: unknown): Set<string> | null {
  if (typeof value === 'string') return new Set([value]);
  if (!value || typeof value !== 'object') return null;
  const out = new Set<string>();
  for (const [op, arg] of Object.entries(value as Record<string, unknown>)) {
    if (op === '$elemMatch') collectKeys(arg as Record<string, unknown>, out);
    else if (op === '$eq' && typeof arg === 'string') out.add(arg);
    else if (op === '$in' && Array.isArray(arg)) {
      // A null among the values also matches documents without the field, which carry no key for it.
      if (arg.some((v) => typeof v !== 'string')) return null;
      for (const v of arg) out.add(v as string);
    }
  }
  return out.size ? out : null;
}

/**
 * Adds to `keys` the strings the condition's narrowest field compares with (see {@link FIELD_BREADTH});
 * false when no field of the condition holds an equality on a string (then it does not narrow the
 * audience to ids).
 */
function collectKeys(c: Record<string, unknown>, keys: Set<string>): boolean {
  let best: { breadth: number; keys: Set<string> } | null = null;
  for (const [field, value] of Object.entries(c)) {
    const found = equalityKeys(value);
    if (!found) continue;
    const breadth = FIELD_BREADTH[field] ?? 5;
    if (!best || breadth < best.breadth || (breadth === best.breadth && found.size < best.keys.size)) best = { breadth, keys: found };
  }
  if (!best) return false;
  for (const k of best.keys) keys.add(k);
  return true;
}

/** The ids a document is known by: its audience's keys (a reader's rules must name one of them). */
export function factKeys(f: DocumentFacts): string[] {
  const keys = [f.keepingUnit, f.state, f.direction, f.id];
  if (f.draftingUnit) keys.push(f.draftingUnit);
  if (f.drafter) keys.push(f.drafter);
  for (const a of f.assignments) for (const k of [a.assignee, a.scopeUnit, a.assigneeUnit]) if (k) keys.push(k);
  for (const r of f.recipients) if (r.unit) keys.push(r.unit);
  return keys;
}

/** The exact in-memory check: the viewer's CASL rules against the document's facts. */
export function mayRead(ability: AppAbility, f: DocumentFacts): boolean {
  const type: DocumentSubject = f.direction === 'INCOMING' ? 'IncomingDocument' : 'OutgoingDocument';
  return ability.can('read', subject(type, { ...f }) as never);
}

/**
 * Whether the subscriber of `plan` may read the document: a candidate only when the document is in
 * its audience, then decided by the exact check. Only for plans with `exact` set.
 */
export function readableBy(ability: AppAbility, plan: ReadPlan, f: DocumentFacts): boolean {
  if (!plan.any && !factKeys(f).some((k) => plan.keys.has(k))) return false;
  return mayRead(ability, f);
}
