import { MikroORM } from '@mikro-orm/postgresql';
import { Unit } from '../../entities';
import type { AppServices } from '../../src/context';
import { UnitKind } from '../../src/domain/units/unit-rules';
import { appOrmOptions } from '../../src/mikro-orm.config';
import { withTransaction, type TxBase } from '../../src/transaction';
import { copyTemplateDatabase } from '../helpers/env';

/** withTransaction against the real PostgreSQL the tests run on: what commits, and when the wake-ups run. */
describe('withTransaction', () => {
  let orm: MikroORM;
  let db: Awaited<ReturnType<typeof copyTemplateDatabase>>;
  const logged: unknown[] = [];
  const app = { log: { error: (obj: unknown) => logged.push(obj) } } as unknown as AppServices;
  const base = (): TxBase => ({ app, em: orm.em.fork() });
  /** Whether a unit of this name was committed, read on a connection of its own. */
  const committed = async (name: string) => (await orm.em.fork().count(Unit, { name })) === 1;
  const unit = (name: string) => ({ name, shortName: name.slice(0, 20), kind: UnitKind.AGENCY, keepsRecords: true });

  beforeAll(async () => {
    db = await copyTemplateDatabase('vpdt_tx_');
    orm = await MikroORM.init(appOrmOptions(db.databaseUrl, { pool: { min: 0, max: 4 } }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });
  beforeEach(() => (logged.length = 0));

  it('runs the wake-ups once each, in order, after the commit, where the change is already visible', async () => {
    const seen: Array<[string, boolean]> = [];
    const result = await withTransaction(base(), async (tx) => {
      tx.em.create(Unit, unit('Commit one'));
      tx.afterCommit(async () => void seen.push(['first', await committed('Commit one')]));
      tx.afterCommit(async () => void seen.push(['second', await committed('Commit one')]));
      await tx.em.flush();
      // Not yet: the work is still inside its transaction.
      expect(seen).toEqual([]);
      expect(await committed('Commit one')).toBe(false);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual([
      ['first', true],
      ['second', true],
    ]);
  });

  it('runs no wake-up when the work fails, and nothing it wrote is kept', async () => {
    let woken = 0;
    await expect(
      withTransaction(base(), async (tx) => {
        tx.em.create(Unit, unit('Rolled back'));
        await tx.em.flush();
        tx.afterCommit(() => void woken++);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(woken).toBe(0);
    expect(await committed('Rolled back')).toBe(false);
  });

  it('a nested call joins the outer transaction: its wake-ups wait for the outer commit, and its writes roll back with it', async () => {
    const order: string[] = [];
    await withTransaction(base(), async (outer) => {
      outer.afterCommit(() => void order.push('outer'));
      const inner = await withTransaction(outer, async (tx) => {
        expect(tx.em).toBe(outer.em);
        tx.em.create(Unit, unit('Joined'));
        tx.afterCommit(() => void order.push('inner'));
        return 'inner result';
      });
      expect(inner).toBe('inner result');
      // The inner work is over, its writes flushed, but nothing has committed: no wake-up yet.
      expect(order).toEqual([]);
      expect(await committed('Joined')).toBe(false);
    });
    expect(order).toEqual(['outer', 'inner']);
    expect(await committed('Joined')).toBe(true);

    let woken = 0;
    await expect(
      withTransaction(base(), async (outer) => {
        await withTransaction(outer, async (tx) => {
          tx.em.create(Unit, unit('Joined, then rolled back'));
          tx.afterCommit(() => void woken++);
        });
        throw new Error('the outer work fails after the inner one finished');
      }),
    ).rejects.toThrow('fails');
    expect(woken).toBe(0);
    expect(await committed('Joined, then rolled back')).toBe(false);
  });

  it('a failing wake-up is logged and neither fails the work nor stops the wake-ups after it', async () => {
    const ran: string[] = [];
    const result = await withTransaction(base(), async (tx) => {
      tx.afterCommit(() => {
        throw new Error('the sender is gone');
      });
      tx.afterCommit(() => Promise.reject(new Error('so is the hub')));
      tx.afterCommit(() => void ran.push('third'));
      return 42;
    });
    expect(result).toBe(42);
    expect(ran).toEqual(['third']);
    expect(logged).toHaveLength(2);
  });

  it('hands the work a copy of the context whose manager is the transaction’s, and leaves the given context as it was', async () => {
    const ctx = base();
    await withTransaction(ctx, async (tx) => {
      expect(tx.em).not.toBe(ctx.em);
      expect(tx.em.isInTransaction()).toBe(true);
      expect(tx.app).toBe(ctx.app);
    });
    expect(ctx.em.isInTransaction()).toBe(false);
    expect('afterCommit' in ctx).toBe(false);
  });
});
