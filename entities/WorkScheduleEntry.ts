import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';
import { Document } from './Document';
import { WorkScheduleVersion } from './WorkScheduleVersion';

/** One line of the schedule: when, where, who chairs, who takes part, what about, and the documents it needs. */
@Index({ properties: ['version', 'date', 'startTime'] })
@Entity({ tableName: 'work_schedule_entry' })
export class WorkScheduleEntry {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WorkScheduleVersion, { deleteRule: 'restrict' })
  version!: Rel<WorkScheduleVersion>;

  /** The same entry across versions (a revision copies it with its key): the change list matches on it. */
  @Property({ type: 'uuid' })
  key!: string;

  /** Its place in the list the Office saved (order among entries at the same time). */
  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'date' })
  date!: string;

  @Property({ type: 'string', length: 5 })
  startTime!: string;

  @Property({ type: 'string', length: 5, nullable: true })
  endTime?: string | null;

  @Property({ type: 'string', length: 200 })
  place!: string;

  /** Who chairs (chủ trì). */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  chair?: Rel<Account> | null;

  @Property({ type: 'string', length: 2000 })
  content!: string;

  /** Participating units (thành phần), as ids. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  participantUnitIds: string[] & Opt = [];

  /** Participating accounts, as ids. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  participantAccountIds: string[] & Opt = [];
}

/** A document linked to an entry: its invitation (giấy mời) or meeting material (tài liệu họp). */
@Entity({ tableName: 'work_schedule_entry_document' })
@Unique({ properties: ['entry', 'document'] })
export class WorkScheduleEntryDocument {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WorkScheduleEntry, { deleteRule: 'restrict' })
  entry!: Rel<WorkScheduleEntry>;

  @ManyToOne(() => Document, { deleteRule: 'restrict' })
  document!: Rel<Document>;

  @Property({ type: 'string', length: 20 })
  kind!: string;
}
