import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { IncidentState } from '../src/domain/incidents/incident-rules';
import { Account } from './Account';
import { Document } from './Document';
import { Unit } from './Unit';

/** A fault met in using the system (sự cố, Điều 10.4), reported to the agency's administrator. */
@Entity({ tableName: 'incident' })
@Index({ properties: ['agency', 'reportedAt'] })
export class Incident {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The agency of the reporter's unit when reported: its SYSADMIN works it. */
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  agency!: Rel<Unit>;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  reporter!: Rel<Account>;

  /** The reporter's unit when reported, for the usage report's scopes. */
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  reporterUnit!: Rel<Unit>;

  /** What went wrong, in a line. */
  @Property({ type: 'string', length: 300 })
  summary!: string;

  @Property({ type: 'text', nullable: true })
  details?: string | null;

  /** Where in the system: a screen, page or operation. */
  @Property({ type: 'string', length: 200, nullable: true })
  screen?: string | null;

  /** A document the fault concerns (one the reporter could read); the administrator sees only its reference. */
  @ManyToOne(() => Document, { deleteRule: 'restrict', nullable: true })
  document?: Rel<Document> | null;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime' })
  reportedAt!: Date;

  @Enum({ items: () => IncidentState })
  state!: IncidentState;

  @Property({ type: 'text', nullable: true })
  resolution?: string | null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  closedBy?: Rel<Account> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date & Opt = new Date();
}
