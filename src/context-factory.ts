import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices, Context } from './context';
import { defineAbilityFor, emptyAbility } from './domain/permissions/ability';
import { createLoaders } from './graphql/loaders';
import { resolveSession } from './services/auth.service';

/** Builds the per-request context: a forked EntityManager, the viewer (checked against the session table), the ability, loaders. */
export async function buildContext(
  app: AppServices,
  orm: MikroORM,
  token: string | null,
  clientAddress: string,
  requestId: string,
  opts: { recordUse?: boolean } = {},
): Promise<Context> {
  const em = orm.em.fork();
  const ctx: Context = { app, requestId, em, mustChangePassword: false, ability: emptyAbility(), loaders: createLoaders(em), clientAddress };
  if (token) {
    const resolved = await resolveSession(em, app, token, opts);
    if ('problem' in resolved) ctx.authProblem = resolved.problem;
    else {
      ctx.viewer = resolved.viewer;
      ctx.sessionId = resolved.sessionId;
      ctx.mustChangePassword = resolved.mustChangePassword;
      ctx.calendarVersion = resolved.calendarVersion;
      ctx.ability = defineAbilityFor(resolved.viewer, await app.permissions.rulesFor(em, resolved.viewer, resolved.permissionVersion));
    }
  }
  return ctx;
}
