import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Account } from './Account';
import { WorkSchedule } from './WorkSchedule';
import { WorkScheduleVersion } from './WorkScheduleVersion';

/**
 * A step of a work schedule (submitted, returned, published, revised), written in the transaction of
 * the step. It shares the routing events' id sequence and transaction-id ordering, so the one event
 * stream (and its cursors) carries both: `workScheduleChanged` delivers these, `routingEvents` the
 * documents'. The application role may not change or delete one.
 */
@Entity({ tableName: 'work_schedule_event' })
@Index({ name: 'work_schedule_event_position_index', properties: ['txid', 'id'] })
export class WorkScheduleEvent {
  /** Taken from the routing events' sequence (the migration sets the column's default), so ids are unique across both tables. */
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txid!: string & Opt;

  @ManyToOne(() => WorkSchedule, { deleteRule: 'restrict' })
  schedule!: Rel<WorkSchedule>;

  @ManyToOne(() => WorkScheduleVersion, { deleteRule: 'restrict' })
  version!: Rel<WorkScheduleVersion>;

  @Property({ type: 'string', length: 30 })
  type!: string;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  actor?: Rel<Account> | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  note?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();
}
