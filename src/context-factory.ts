import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices, Context } from './context';
import { defineAbilityFor, emptyAbility } from './domain/permissions/ability';
import { createLoaders } from './graphql/loaders';
import { resolveSession } from './services/auth.service';

/**
 * Abilities of sessions held in memory (src/services/session-cache.ts), kept under the cache entry's key:
 * every copy the cache hands out of one entry carries the same `cacheKey` until a notice drops the
 * entry (a change of the account, its units, the permission rules or the calendar), and an ability is
 * never changed once built, so requests of one session share one and skip rebuilding its rules. A
 * session read from the database has no key: its ability is built for it alone.
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
      const held = resolved.cacheKey && abilities.get(resolved.cacheKey);
      if (held && held.permissionVersion === resolved.permissionVersion) ctx.ability = held.ability;
      else {
        ctx.ability = defineAbilityFor(resolved.viewer, await app.permissions.rulesFor(em, resolved.viewer, resolved.permissionVersion));
        if (resolved.cacheKey) abilities.set(resolved.cacheKey, { permissionVersion: resolved.permissionVersion, ability: ctx.ability });
      }
    }
  }
  return ctx;
}
