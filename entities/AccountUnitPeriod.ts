import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';
import { Unit } from './Unit';

/** A period an account spent in a unit: a transfer closes one period and opens the next. */
@Entity({ tableName: 'account_unit_period' })
export class AccountUnitPeriod {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account!: Rel<Account>;

  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  unit!: Rel<Unit>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  startedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;
}
