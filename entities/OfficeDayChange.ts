import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { OfficeDayKind } from '../src/domain/time/working-calendar';
import { Account } from './Account';

/**
 * The history of the working calendar: every day recorded, changed or removed, by whom. Append-only;
 * its highest id is the calendar version every server process compares on each request, so a change
 * made on one process is in force on the next request on every other.
 */
@Entity({ tableName: 'office_day_change' })
export class OfficeDayChange {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @Property({ type: 'date' })
  date!: string;

  /** RECORDED (new or changed) or REMOVED. */
  @Property({ type: 'string', length: 10 })
  change!: string;

  /** The kind and name recorded, or those removed. */
  @Enum({ items: () => OfficeDayKind })
  kind!: OfficeDayKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  actor!: Rel<Account>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();
}
