import { Assignment, type RoutingEvent } from '../../entities';
import type { Context } from '../context';
import { Role } from '../domain/accounts/account-rules';
import { RoutingEventKind } from '../domain/documents/document-enums';

/**
 * A withdrawn assignment no longer lets its holder read the document, yet the holder must be told
 * (issue #18 item 4). The one exception to "events only about documents the subscriber may read":
 * the ASSIGNMENT_WITHDRAWN event of the subscriber's own assignment (or, for a head, the department's)
 * is delivered; its `document` resolves to null, so nothing of the document is revealed but the
 * assignment's id and the reason.
 */
export const TOLD_AFTER_ACCESS_ENDS: ReadonlySet<string> = new Set([RoutingEventKind.ASSIGNMENT_WITHDRAWN]);

/** The ids of the events among `rows` that withdrew an assignment held by the subscriber. */
export async function withdrawnFromSubscriber(ctx: Context, rows: readonly RoutingEvent[]): Promise<Set<string>> {
  const viewer = ctx.viewer;
  const concerned = rows.filter((r) => TOLD_AFTER_ACCESS_ENDS.has(r.type) && r.assignment);
  if (!viewer || concerned.length === 0) return new Set();
  const ids = [...new Set(concerned.map((r) => r.assignment!.id))];
  const head = viewer.roles.includes(Role.HEAD);
  const held = await ctx.em.find(Assignment, { id: { $in: ids } }, { fields: ['id', 'assignee', 'assigneeUnit'] });
  const mine = new Set(held.filter((a) => a.assignee?.id === viewer.accountId || (head && a.assigneeUnit?.id === viewer.unitId)).map((a) => a.id));
  return new Set(concerned.filter((r) => mine.has(r.assignment!.id)).map((r) => r.id));
}
