import type { EntityManager } from '@mikro-orm/postgresql';
import { PermissionGrant } from '../../entities';
import { ruleAppliesTo, type CustomRule, type RuleSubject } from '../domain/permissions/custom-rules';
import type { Action } from '../domain/permissions/ability';
import type { Viewer } from '../domain/permissions/viewer';

/**
 * The administrators' rules, cached per process and reloaded whenever the permissions version that
 * each request reads with its session changes: a change is in force on the next request on every
 * process, with no restart and no extra statement on requests that find the cache current.
 */
export class PermissionStore {
  private version = '';
  private rules: PermissionGrant[] = [];
  private loading?: Promise<void>;

  async rulesFor(em: EntityManager, viewer: Viewer, version: string): Promise<CustomRule[]> {
    if (version !== this.version) {
      this.loading ??= em
        .find(PermissionGrant, { revokedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } })
        .then((rules) => {
          this.rules = rules;
          this.version = version;
        })
        .finally(() => (this.loading = undefined));
      await this.loading;
    }
    return rulesFor(this.rules, viewer);
  }
}

/** The rules among `grants` that apply to the viewer (by account, role and unit), in CASL's terms. */
export function rulesFor(grants: readonly PermissionGrant[], viewer: Viewer): CustomRule[] {
  return grants
    .filter((r) => ruleAppliesTo({ accountId: r.account?.id ?? null, role: r.role ?? null, unitId: r.unit?.id ?? null }, viewer))
    .map((r) => ({
      action: r.action as Action,
      subject: r.subject as RuleSubject,
      condition: r.condition,
      fields: r.fields ?? null,
      inverted: r.inverted,
      reason: r.reason,
    }));
}
