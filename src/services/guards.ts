import { subject } from '@casl/ability';
import type { Context } from '../context';
import type { Action, SubjectType } from '../domain/permissions/ability';
import type { Viewer } from '../domain/permissions/viewer';
import { AppError, ErrorCode, forbidden } from '../errors';

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, ctx.authProblem);
  return ctx.viewer;
}

/** Refuses with FORBIDDEN unless the ability allows the action on the subject (a type or one object). */
export function authorize(ctx: Context, action: Action, type: Exclude<SubjectType, 'all'>, object?: Record<string, unknown>, field?: string): void {
  const ok = object ? ctx.ability.can(action, subject(type, { ...object }), field) : ctx.ability.can(action, type, field);
  if (!ok) throw forbidden();
}
