/** What the nested fields of an account load. */
import type { Context } from '../context';
import { countOpenAssignments } from './hand-over';

/** How many open assignments an account holds in its own name; null for viewers who may not disable accounts. */
export function openAssignmentCount(ctx: Context, accountKey: string): Promise<number> | null {
  return ctx.ability.can('disable', 'Account') ? countOpenAssignments(ctx.em, accountKey) : null;
}
