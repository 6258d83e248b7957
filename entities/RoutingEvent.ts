import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Account } from './Account';
import { Assignment } from './Assignment';
import { Document } from './Document';

/**
 * A routing event (sự kiện luân chuyển): who did what to a document, from which state to which,
 * with the note. Written in the same transaction as the change; the database refuses to change or
 * delete one.
 */
@Entity({ tableName: 'routing_event' })
@Index({ properties: ['document', 'id'] })
export class RoutingEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @ManyToOne(() => Document, { deleteRule: 'restrict' })
  document!: Rel<Document>;

  @ManyToOne(() => Assignment, { nullable: true, deleteRule: 'restrict' })
  assignment?: Rel<Assignment> | null;

  @Property({ type: 'string', length: 30 })
  type!: string;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  actor?: Rel<Account> | null;

  @Property({ type: 'string', length: 30, nullable: true })
  fromState?: string | null;

  @Property({ type: 'string', length: 30, nullable: true })
  toState?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();
}
