import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';
import { Unit } from './Unit';

/**
 * The weekly work schedule (lịch công tác tuần) of a keeping unit — the agency, or a subordinate
 * centre for its own leaders — for one ISO week. Its content lives in versions: the one in force
 * (published) and at most one in progress.
 */
@Entity({ tableName: 'work_schedule' })
@Unique({ properties: ['keepingUnit', 'week'] })
export class WorkSchedule {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  keepingUnit!: Rel<Unit>;

  /** The ISO week, `2026-W49`. */
  @Property({ type: 'string', length: 8 })
  week!: string;

  /** Its Monday. */
  @Property({ type: 'date' })
  weekStart!: string;

  /** The number of the newest version (1, 2, 3…). */
  @Property({ type: 'smallint' })
  latestVersion!: number;

  /** The number of the version in force, once one was published. */
  @Property({ type: 'smallint', nullable: true })
  publishedVersion?: number | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  createdBy!: Rel<Account>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
