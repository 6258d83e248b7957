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
  // One rule per action and subject, as a frontend checks them.
  return ctx.ability.rules.flatMap((r) =>
    ([] as string[]).concat(r.action as string | string[]).flatMap((action) =>
      ([] as string[]).concat(r.subject as string | string[]).map((subjectName) => ({
        action,
        subject: subjectName,
        conditions: r.conditions ?? null,
        fields: r.fields ? ([] as string[]).concat(r.fields) : null,
        inverted: Boolean(r.inverted),
        reason: r.reason ?? null,
      })),
    ),
  );
}
