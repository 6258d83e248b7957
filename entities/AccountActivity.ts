import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Account } from './Account';

/**
 * How a person used the system on an office day (Điều 10.2: at least twice a day, that is in the
 * morning and in the afternoon session; src/domain/time/check-in.ts). `visits` is the number of
 * those sessions used (0 to 2).
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

  /** First use in the morning session (before noon, office time). */
  @Property({ type: 'datetime', nullable: true })
  morningAt?: Date | null;

  /** First use in the afternoon session (from noon, office time). */
  @Property({ type: 'datetime', nullable: true })
  afternoonAt?: Date | null;
}
