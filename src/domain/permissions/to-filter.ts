import { rulesToCondition } from '@casl/ability/extra';
import type { Action, AppAbility, SubjectType } from './ability';

/** A filter that matches no row (`where 1 = 0`); a new object each time, since the ORM rewrites filters in place. */
export const noRows = (): Record<string, unknown> => ({ id: { $in: [] as string[] } });

/** CASL's `$elemMatch` is MikroORM's `$some` on a collection. */
function renameOperators(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameOperators);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k === '$elemMatch' ? '$some' : k] = renameOperators(v);
    return out;
  }
  return value;
}

/**
 * The MikroORM filter of the rows the ability allows for `action` on `subject`.
 * CASL's "nothing allowed" (`null`) becomes a filter that matches no row, never "no filter".
 */
export function accessibleWhere(ability: AppAbility, action: Action, subject: SubjectType): Record<string, unknown> {
  const condition = rulesToCondition(
    ability.rulesFor(action, subject),
    (rule) => (rule.inverted ? { $not: rule.conditions ?? {} } : (rule.conditions ?? {})) as Record<string, unknown>,
    {
      and: (c: Record<string, unknown>[]) => ({ $and: c }),
      or: (c: Record<string, unknown>[]) => (c.length === 0 ? noRows() : { $or: c }),
      empty: () => ({}),
    },
  );
  if (condition === null) return noRows();
  return renameOperators(condition) as Record<string, unknown>;
}
