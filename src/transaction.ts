import type { Context } from './context';

/** Work to do once the transaction has committed: a wake-up for whoever reads what it wrote. */
export type AfterCommit = () => void | Promise<void>;

/** What a transaction begins from: the process's services and a manager (a request's Context, or the exchange's own). */
export type TxBase = Pick<Context, 'app' | 'em'>;

/** What the work of a transaction is handed besides its context: the wake-ups to run after the commit. */
export interface TxScope {
  /** Runs `fn` once the outermost transaction has committed; never when it rolls back. */
  afterCommit(fn: AfterCommit): void;
}

/** A context inside a transaction: its `em` is the transaction's. */
export type Tx<C extends TxBase = Context> = C & TxScope;

/** A request's context inside a transaction. */
export type TxContext = Tx<Context>;

const inTransaction = <C extends TxBase>(ctx: C): ctx is Tx<C> => typeof (ctx as Partial<TxScope>).afterCommit === 'function';

/**
 * Runs `work` in one database transaction and hands it a copy of `ctx` whose EntityManager is the
 * transaction's, so everything the work reads and writes goes through the transaction's connection.
 * Called again from inside (with the transaction's context), it joins the transaction it is in: the
 * work commits or rolls back with the outer one (no savepoint), and its wake-ups wait for the outer commit.
 *
 * Wake-ups given to `tx.afterCommit` run after a successful commit, once each, in the order given;
 * never after a rollback. One that fails is logged and does not fail the request: what it was to wake
 * also polls, so the change is only seen later.
 */
export async function withTransaction<C extends TxBase, T>(ctx: C, work: (tx: Tx<C>) => Promise<T>): Promise<T> {
  if (inTransaction(ctx)) {
    // Joined: what the work wrote is flushed at its end (as MikroORM's own nested transactional
    // does), so a refusal by the database is raised to the caller that can translate it.
    const result = await work(ctx);
    await ctx.em.flush();
    return result;
  }
  const pending: AfterCommit[] = [];
  const result = await ctx.em.transactional((em) => work({ ...ctx, em, afterCommit: (fn: AfterCommit) => void pending.push(fn) }));
  for (const fn of pending) {
    try {
      await fn();
    } catch (err) {
      ctx.app.log.error({ err }, 'a wake-up after a commit failed; what it wakes will find the change when it next polls');
    }
  }
  return result;
}
