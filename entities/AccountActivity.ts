import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Account } from './Account';

/**
 * How a person used the system on an office day (Điều 10.2: at least twice a day). A visit is
 * counted when the person comes back after an hour without using it.
 */
@Entity({ tableName: 'account_activity' })
export class AccountActivity {
  @ManyToOne(() => Account, { primary: true, deleteRule: 'restrict' })
  account!: Rel<Account>;

  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'smallint' })
  visits!: number;

  @Property({ type: 'datetime' })
  firstAt!: Date;

  @Property({ type: 'datetime' })
  lastAt!: Date;
}
