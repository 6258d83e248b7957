import { Entity, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Account } from './Account';

/**
 * The first result of a mutation sent with an idempotency key: a retry with the same key by the same
 * account returns it and takes nothing new (no second document, no second number).
 */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  @ManyToOne(() => Account, { primary: true, deleteRule: 'restrict' })
  account!: Rel<Account>;

  @PrimaryKey({ type: 'string', length: 100 })
  key!: string;

  @Property({ type: 'string', length: 40 })
  operation!: string;

  /** The primary key of what the first call returned. */
  @Property({ type: 'string', length: 64 })
  resultId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
