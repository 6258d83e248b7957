import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { OfficeDayKind } from '../src/domain/time/working-calendar';
import { Account } from './Account';

/**
 * A day the working calendar treats apart from the weekly rule (src/domain/time/working-calendar.ts):
 * a public holiday, a compensatory day off, or a weekend day worked in exchange. National, so one
 * list for every agency of the deployment; the SYSADMIN records it each year.
 */
@Entity({ tableName: 'office_day' })
export class OfficeDay {
  @PrimaryKey({ type: 'date' })
  date!: string;

  @Enum({ items: () => OfficeDayKind })
  kind!: OfficeDayKind;

  /** What it is, e.g. `Tết Nguyên đán`, `Nghỉ bù Giỗ Tổ Hùng Vương`. */
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Null for the days the migration seeded. */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  recordedBy?: Rel<Account> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  recordedAt: Date & Opt = new Date();
}
