import { BigIntType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { OutboxState } from '../src/domain/exchange/delivery';
import { Correspondent } from './Correspondent';
import { Document } from './Document';
import { OutgoingRecipient } from './OutgoingRecipient';

export enum ExchangeMessageKind {
  /** A document package (new, recall, update, replace). */
  PACKAGE = 'PACKAGE',
  /** A status message back to a sender (01–06, 15, 16). */
  STATUS = 'STATUS',
}

/**
 * The outbox of the document exchange: one row per message to one peer, written in the transaction
 * of the change that causes it, sent by a worker in order per peer, retried until the peer answers.
 */
@Entity({ tableName: 'exchange_message' })
@Index({ name: 'exchange_message_due', properties: ['state', 'nextAttemptAt'] })
// The claim looks for unfinished earlier messages to the same peer: only those are indexed.
@Index({
  name: 'exchange_message_open',
  expression: `create index exchange_message_open on exchange_message (correspondent_id, id) where state not in ('ACKNOWLEDGED', 'REFUSED')`,
})
export class ExchangeMessage {
  /** Also the order of sending to one peer. */
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @Enum({ items: () => ExchangeMessageKind })
  kind!: ExchangeMessageKind;

  /** The peer it goes to. */
  @ManyToOne(() => Correspondent, { deleteRule: 'restrict' })
  correspondent!: Rel<Correspondent>;

  /** The outgoing document of a package; the incoming copy a status is about (null when unknown here). */
  @Index()
  @ManyToOne(() => Document, { nullable: true, deleteRule: 'restrict' })
  document?: Rel<Document> | null;

  /** The recipient row a package delivers. */
  @Index()
  @ManyToOne(() => OutgoingRecipient, { nullable: true, deleteRule: 'restrict' })
  recipient?: Rel<OutgoingRecipient> | null;

  /** TraceHeaderList/Bussiness/BussinessDocType of a package. */
  @Property({ type: 'smallint', nullable: true })
  businessDocType?: number | null;

  @Property({ type: 'string', length: 2, nullable: true })
  statusCode?: string | null;

  /** The recall's reason, or the status's description. */
  @Property({ type: 'string', length: 1000, nullable: true })
  reason?: string | null;

  /** The DocumentId the message is about. */
  @Property({ type: 'string', length: 100 })
  exchangeDocumentId!: string;

  @Enum({ items: () => OutboxState })
  state!: OutboxState;

  @Property({ type: 'integer', default: 0 })
  attempts: number & Opt = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  nextAttemptAt: Date & Opt = new Date();

  /** A worker that took the message holds it until then; after that another may try. */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt?: Date | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  lastError?: string | null;

  /** How many times the message could not even be written (its file gone); given up after a few. */
  @Property({ type: 'smallint', default: 0 })
  prepareFailures: number & Opt = 0;

  @Property({ type: 'datetime', nullable: true })
  acknowledgedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
