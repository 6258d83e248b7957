import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Account } from './Account';

/** What was done to an account, by whom and why: created, updated, transferred, disabled, enabled, password reset. */
@Entity({ tableName: 'account_event' })
export class AccountEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account!: Rel<Account>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  actor?: Rel<Account> | null;

  @Property({ type: 'string', length: 40 })
  type!: string;

  @Property({ type: 'json', nullable: true })
  detail?: Record<string, unknown> | null;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();

  /** The hash of the previous row of the same chain (tamper evidence; set by the database). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  prevHash?: string & Opt;

  /** SHA-256 over the previous hash and this row's content (set by the database; checked by `npm run audit:verify`). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  hash?: string & Opt;
}
