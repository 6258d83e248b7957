import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ScheduleState } from '../src/domain/schedule/schedule-rules';
import { Account } from './Account';
import { WorkSchedule } from './WorkSchedule';

/** One version of a schedule: its state, who drafted and approved it, and its entries. */
@Entity({ tableName: 'work_schedule_version' })
@Unique({ properties: ['schedule', 'number'] })
export class WorkScheduleVersion {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WorkSchedule, { deleteRule: 'restrict' })
  schedule!: Rel<WorkSchedule>;

  @Property({ type: 'smallint' })
  number!: number;

  @Enum({ items: () => ScheduleState })
  state!: ScheduleState;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  draftedBy!: Rel<Account>;

  /** Why this version was opened after publication (a revision), shown with the change list. */
  @Property({ type: 'string', length: 1000, nullable: true })
  revisionNote?: string | null;

  /** The director's reason when the version was last returned for changes. */
  @Property({ type: 'string', length: 1000, nullable: true })
  returnReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  approvedBy?: Rel<Account> | null;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  /** The version in force when this one was published: the change list compares with it. */
  @Property({ type: 'smallint', nullable: true })
  previousNumber?: number | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
