import { IdempotencyKey } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { badInput } from '../errors';
import { requireViewer } from './guards';

const KEY = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * Runs a mutation at most once per (account, key): the first call runs `run` and records what it
 * returned in the same transaction; a retry — even one racing the first — waits for it and gets
 * `load(firstResultId)` instead. Without a key the mutation simply runs.
 */
export async function once<T extends { id: string }>(
  ctx: Context,
  key: string | null | undefined,
  operation: string,
  run: (ctx: Context) => Promise<T>,
  load: (ctx: Context, id: string) => Promise<T>,
): Promise<T> {
  if (key === null || key === undefined) return run(ctx);
  const viewer = requireViewer(ctx);
  if (!KEY.test(key))
    throw badInput('idempotencyKey must be 8 to 100 letters, digits, dots, colons, hyphens or underscores (a UUID is a good choice).', 'idempotencyKey');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    // Serialises calls with the same key: the second waits for the first to commit or fail.
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`${viewer.accountId}:${key}`]);
    const earlier = await em.findOne(IdempotencyKey, { account: viewer.accountId, key });
    if (earlier) {
      if (earlier.operation !== operation)
        throw badInput(`This idempotencyKey was already used for ${earlier.operation}. Use a new key for a new operation.`, 'idempotencyKey');
      return load(tx, earlier.resultId);
    }
    const result = await run(tx);
    em.create(IdempotencyKey, { account: viewer.accountId, key, operation, resultId: result.id, createdAt: ctx.app.clock.now() });
    return result;
  });
}
