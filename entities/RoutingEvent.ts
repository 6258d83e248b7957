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
@Index({ name: 'routing_event_position_index', properties: ['txid', 'id'] })
export class RoutingEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  /**
   * The writing transaction's id. Events are delivered in (txid, id) order and only once every
   * transaction older than the readers' horizon has ended, so one that commits late is never skipped.
   */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txid!: string & Opt;

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

  /** The hash of the previous row of the same chain (tamper evidence; set by the database). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  prevHash?: string & Opt;

  /** SHA-256 over the previous hash and this row's content (set by the database; checked by `npm run audit:verify`). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  hash?: string & Opt;
}
