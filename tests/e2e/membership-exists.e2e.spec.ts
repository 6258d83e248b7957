import type { FilterQuery } from '@mikro-orm/core';
import { Document } from '../../entities';
import { accessibleWhere as dollarSome } from '../../src/domain/permissions/to-filter';
import { buildContext } from '../../src/server';
import { InboxView, readableWhere, viewFilter, viewWhere } from '../../src/services/document-query.service';
import { deadlineBoundsToday } from '../../src/services/working-calendar';
import type { Context } from '../../src/context';
import { DocumentsDocument, InboxDocument } from '../generated/graphql';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

/**
 * Membership in assignments is written as a correlated EXISTS where the filter is built
 * (src/repositories/membership-filter.ts), not by rewriting the ORM's SQL: the same rows as MikroORM's own
 * `$some` subquery, for every demo account, every inbox view and the readable documents.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ demoDocuments: true });
}, 300_000);
afterAll(() => env?.close());

type Where = FilterQuery<Document>;

/** The readable filter with membership as `$some` (what the ORM writes as `id in (select … inner join assignment …)`). */
function readableWithSome(ctx: Context): Where {
  return {
    $or: [
      { $and: [{ direction: 'INCOMING' }, dollarSome(ctx.ability, 'read', 'IncomingDocument')] },
      { $and: [{ direction: 'OUTGOING' }, dollarSome(ctx.ability, 'read', 'OutgoingDocument')] },
    ],
  };
}

async function ids(ctx: Context, where: Where): Promise<string[]> {
  const rows = await ctx.em.fork().find(Document, where, { fields: ['id'], orderBy: { id: 'asc' } });
  return rows.map((d) => d.id);
}

describe('membership in assignments as EXISTS', () => {
  it('answers the same rows as the ORM subquery for every demo account, the readable documents and every inbox view', async () => {
    let nonEmpty = 0;
    for (const username of Object.values(DEMO)) {
      const token = (await env.as(username)).token!;
      const ctx = await buildContext(env.server.app, env.orm, token, '127.0.0.1', `membership-${username}`);
      expect(ctx.viewer).toBeDefined();
      const readable = await ids(ctx, readableWhere(ctx));
      expect({ username, readable }).toEqual({ username, readable: await ids(ctx, readableWithSome(ctx)) });
      if (readable.length) nonEmpty++;
      const bounds = await deadlineBoundsToday(ctx);
      for (const view of Object.values(InboxView)) {
        const exists = await ids(ctx, { $and: [readableWhere(ctx), viewWhere(ctx, view, bounds)] });
        const some = await ids(ctx, { $and: [readableWithSome(ctx), viewFilter(ctx, view, bounds)] });
        expect({ username, view, rows: exists }).toEqual({ username, view, rows: some });
        if (exists.length) nonEmpty++;
      }
      // The statement holds a correlated EXISTS on assignments and no join through the document table.
      const sql = ctx.em
        .createQueryBuilder(Document)
        .select('id')
        .where({ $and: [readableWhere(ctx), viewWhere(ctx, InboxView.TO_PROCESS, bounds)] } as never)
        .getFormattedQuery();
      expect(sql).toContain('exists (select 1 from "assignment" as "asg" where "asg"."document_id" = ');
      expect(sql).not.toContain('inner join "assignment"');
      expect(sql).not.toContain('any(array(');
    }
    expect(nonEmpty).toBeGreaterThan(10);
  }, 300_000);

  it('no statement of the inbox and documents reads is rewritten to = any(array(…)): they carry the EXISTS', async () => {
    // Every statement the server's ORM sends, in full, as PostgreSQL receives it.
    const connection = env.orm.em.getConnection() as unknown as { executeQuery(...args: unknown[]): unknown };
    const sent: string[] = [];
    const original = connection.executeQuery;
    connection.executeQuery = function (this: unknown, ...args: unknown[]) {
      sent.push(String(args[0]));
      return original.apply(this, args);
    };
    try {
      for (const username of [DEMO.staff, DEMO.director, DEMO.head]) {
        const client = await env.as(username);
        for (const view of ['TO_PROCESS', 'FOR_INFORMATION', 'OVERDUE', 'RETURNED'] as const) await client.ok(InboxDocument, { view, first: 50 });
        await client.ok(DocumentsDocument, { first: 50 });
      }
    } finally {
      delete (connection as { executeQuery?: unknown }).executeQuery;
    }
    expect(sent.filter((s) => s.includes('any(array('))).toEqual([]);
    expect(sent.filter((s) => s.includes('exists (select 1 from "assignment"')).length).toBeGreaterThanOrEqual(12);
  });
});
