import { Collection, Entity, Index, ManyToOne, OneToMany, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { OutgoingState } from '../src/domain/outgoing/workflow';
import { Account } from './Account';
import { Document } from './Document';
import { StoredFile } from './StoredFile';
import { Unit } from './Unit';
import type { DraftVersion } from './DraftVersion';
import type { OutgoingRecipient } from './OutgoingRecipient';

/** An outgoing document (văn bản đi): drafted, reviewed, signed, then numbered and issued by the clerk. */
@Entity({ discriminatorValue: 'OUTGOING' })
@Unique({ name: 'document_register_issue_number_unique', properties: ['register', 'issueNumber'] })
export class OutgoingDocument extends Document {
  declare state: OutgoingState;

  /** The department (or unit) that drafted it. */
  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  draftingUnit!: Rel<Unit>;

  @Index()
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  drafter!: Rel<Account>;

  /** The current version of the draft (1, 2, …). */
  @Property({ type: 'integer', nullable: true })
  version!: number & Opt;

  @ManyToOne(() => StoredFile, { nullable: true, deleteRule: 'restrict' })
  draftFile!: Rel<StoredFile>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  signer?: Rel<Account> | null;

  @Property({ type: 'datetime', nullable: true })
  signedAt?: Date | null;

  /** When signed by a delegate: the director in whose name (ký thay). */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  signedOnBehalfOf?: Rel<Account> | null;

  /** The authority line: "KT. GIÁM ĐỐC" when signed under delegation. */
  @Property({ type: 'string', length: 100, nullable: true })
  signatureAuthority?: string | null;

  /** The number taken from the outgoing register on issue; `number` holds it as printed ("05"). */
  @Property({ type: 'integer', nullable: true })
  issueNumber?: number | null;

  @Property({ type: 'datetime', nullable: true })
  issuedAt?: Date | null;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  issuedBy?: Rel<Account> | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  returnReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  recalledAt?: Date | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  recallReason?: string | null;

  @OneToMany('DraftVersion', 'document')
  versions = new Collection<DraftVersion>(this);

  @OneToMany('OutgoingRecipient', 'document')
  recipients = new Collection<OutgoingRecipient>(this);
}
