import { Account } from '../../entities';
import type { Context } from '../context';
import { requireViewer } from './guards';

/** The signed-in account. */
export async function me(ctx: Context): Promise<Account> {
  const viewer = requireViewer(ctx);
  return (await ctx.loaders.account.load(viewer.accountId))!;
}

/** The viewer's effective rules, as CASL holds them. */
export function viewerRules(ctx: Context) {
  requireViewer(ctx);
  return ctx.ability.rules.map((r) => ({
    action: String(r.action),
    subject: String(r.subject),
    conditions: r.conditions ?? null,
    fields: r.fields ? ([] as string[]).concat(r.fields) : null,
    inverted: Boolean(r.inverted),
    reason: r.reason ?? null,
  }));
}
