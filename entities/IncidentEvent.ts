import { BigIntType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { IncidentState } from '../src/domain/incidents/incident-rules';
import { Account } from './Account';
import { Incident } from './Incident';

/** The history of an incident: reported, each note of the work, closed. Append-only. */
@Entity({ tableName: 'incident_event' })
export class IncidentEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @Index()
  @ManyToOne(() => Incident, { deleteRule: 'restrict' })
  incident!: Rel<Incident>;

  @Enum({ items: () => IncidentState, nullable: true })
  fromState?: IncidentState | null;

  @Enum({ items: () => IncidentState })
  toState!: IncidentState;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  actor!: Rel<Account>;

  @Property({ type: 'datetime' })
  at!: Date;
}
