import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { ArrivalChannel } from '../src/domain/documents/document-enums';
import { IncomingState } from '../src/domain/incoming/routing';
import { Correspondent } from './Correspondent';
import { Document } from './Document';
import type { OutgoingDocument } from './OutgoingDocument';
import { Unit } from './Unit';

/** An incoming document (văn bản đến). */
@Entity({ discriminatorValue: 'INCOMING' })
@Unique({ name: 'document_register_arrival_number_unique', properties: ['register', 'arrivalNumber'] })
export class IncomingDocument extends Document {
  declare state: IncomingState;

  @Enum({ items: () => ArrivalChannel, nullable: true })
  arrivalChannel?: ArrivalChannel;

  /** Số đến: consecutive in the register's year. */
  @Property({ type: 'integer', nullable: true })
  arrivalNumber?: number | null;

  /** The office day of registration. */
  @Property({ type: 'date', nullable: true })
  arrivalDate?: string | null;

  @Property({ type: 'datetime', nullable: true })
  registeredAt?: Date | null;

  @Index()
  @ManyToOne(() => Correspondent, { nullable: true, deleteRule: 'restrict' })
  senderCorrespondent?: Rel<Correspondent> | null;

  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  senderUnit?: Rel<Unit> | null;

  @Property({ type: 'datetime', nullable: true })
  receivedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  rejectionReason?: string | null;

  /** The outgoing document of a unit of this system that this copy was delivered from. */
  @Index()
  @ManyToOne('OutgoingDocument', { nullable: true, deleteRule: 'restrict' })
  origin?: Rel<OutgoingDocument> | null;

  @Property({ type: 'datetime', nullable: true })
  recalledAt?: Date | null;

  /** The last exchange status code reported to the sender of a document received through the exchange. */
  @Property({ type: 'string', length: 2, nullable: true })
  exchangeStatusSent?: string | null;
}
