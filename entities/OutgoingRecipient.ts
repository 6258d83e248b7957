import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Correspondent } from './Correspondent';
import { IncomingDocument } from './IncomingDocument';
import { OutgoingDocument } from './OutgoingDocument';
import { Unit } from './Unit';

/** Where a recipient's copy stands. */
export enum DeliveryState {
  /** Not issued yet. */
  PENDING = 'PENDING',
  /** Delivered inside the system: the copy is in the recipient clerk's queue. */
  DELIVERED = 'DELIVERED',
  /** An outside organisation with no exchange endpoint: the clerk sends the .edxml file by other means. */
  AWAITING_EXCHANGE = 'AWAITING_EXCHANGE',
  /** A peer of the exchange: the package is written to the outbox, not tried yet. */
  QUEUED = 'QUEUED',
  /** Handed to the peer, waiting for its answer. */
  SENT = 'SENT',
  /** The last attempt failed (deliveryError says why); it is tried again with backoff. */
  FAILED = 'FAILED',
  /** The peer took the package. */
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  /** The peer refused the package for good (deliveryError says why). */
  REFUSED = 'REFUSED',
}

/** A recipient of an outgoing document: a unit of this system or an outside correspondent. */
@Entity({ tableName: 'outgoing_recipient' })
export class OutgoingRecipient {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => OutgoingDocument, { deleteRule: 'restrict' })
  document!: Rel<OutgoingDocument>;

  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  unit?: Rel<Unit> | null;

  @ManyToOne(() => Correspondent, { nullable: true, deleteRule: 'restrict' })
  correspondent?: Rel<Correspondent> | null;

  /** The incoming copy delivered to the unit. */
  @Index()
  @ManyToOne(() => IncomingDocument, { nullable: true, deleteRule: 'restrict' })
  incomingCopy?: Rel<IncomingDocument> | null;

  @Enum({ items: () => DeliveryState })
  deliveryState!: DeliveryState;

  @Property({ type: 'smallint' })
  ordinal!: number;

  /** Why the last delivery attempt to a peer failed, or why it refused the package. */
  @Property({ type: 'string', length: 1000, nullable: true })
  deliveryError?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
