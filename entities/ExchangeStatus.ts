import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OutgoingRecipient } from './OutgoingRecipient';

/** A status a recipient reported for its copy of an outgoing document (01–06, 13, 15, 16), as the sender keeps it. */
@Entity({ tableName: 'exchange_status' })
@Index({ properties: ['recipient', 'receivedAt'] })
export class ExchangeStatus {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => OutgoingRecipient, { deleteRule: 'restrict' })
  recipient!: Rel<OutgoingRecipient>;

  @Property({ type: 'string', length: 2 })
  code!: string;

  @Property({ type: 'string', length: 1000, nullable: true })
  description?: string | null;

  /** When the recipient says it happened. */
  @Property({ type: 'datetime' })
  at!: Date;

  /** The recipient's own order of its statuses; 0 for what this system records itself (13). */
  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  receivedAt: Date & Opt = new Date();
}
