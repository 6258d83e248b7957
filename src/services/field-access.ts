import { subject } from '@casl/ability';
import type { Context } from '../context';
import type { SubjectType } from '../domain/permissions/ability';

/** Whether the viewer may read one field of an object; a field it may not read resolves to null, without an error. */
export function canReadField(ctx: Context, type: Exclude<SubjectType, 'all'>, object: Record<string, unknown>, field: string): boolean {
  return ctx.ability.can('read', subject(type, { ...object }), field);
}
