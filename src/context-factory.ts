import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices, Context } from './context';
import { defineAbilityFor, emptyAbility } from './domain/permissions/ability';
import { createLoaders } from './graphql/loaders';
import { resolveSession } from './services/auth.service';

/**
 * Abilities of sessions held in memory (src/services/session-cache.ts), kept with the session they were
 * built for: a cached session is the same object from request to request until a notice drops it (a
 * change of the account, its units, the permission rules or the calendar), and an ability is never
 * changed once built, so requests of one session share one and skip rebuilding its rules.
 */
const abilities = new WeakMap<object, { permissionVersion: string; ability: Context['ability'] }>();

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
      const held = abilities.get(resolved);
      if (held && held.permissionVersion === resolved.permissionVersion) ctx.ability = held.ability;
      else {
        ctx.ability = defineAbilityFor(resolved.viewer, await app.permissions.rulesFor(em, resolved.viewer, resolved.permissionVersion));
        abilities.set(resolved, { permissionVersion: resolved.permissionVersion, ability: ctx.ability });
      }
    }
  }
  return ctx;
}
