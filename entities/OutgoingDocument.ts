import { ArrayType, Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { OutgoingState } from '../src/domain/outgoing/workflow';
import { SigningCapacity } from '../src/domain/signing/capacity';
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

  /** The authority part of the lines above the signature ("KT. GIÁM ĐỐC", "TUQ. GIÁM ĐỐC"); null when the head signs in their own name. */
  @Property({ type: 'string', length: 100, nullable: true })
  signatureAuthority?: string | null;

  /** The capacity in which it was signed (NĐ 30/2020 Điều 13). */
  @Enum({ items: () => SigningCapacity, nullable: true })
  signingCapacity?: SigningCapacity | null;

  /** For whom: the title of the head ("Giám đốc") or the collective body; null when the head signs in their own name. */
  @Property({ type: 'string', length: 200, nullable: true })
  signedFor?: string | null;

  /** The lines above the signature as printed, as the rule gave them at signing. */
  @Property({ type: ArrayType, columnType: 'text[]', nullable: true })
  signatureLines?: string[] | null;

  /** The number taken from the outgoing register on issue; `number` holds it as printed ("05"). */
  @Property({ type: 'integer', nullable: true })
  issueNumber?: number | null;

  /** When the clerk took the number (cấp số), before the final scan; null until then. */
  @Property({ type: 'datetime', nullable: true })
  numberedAt?: Date | null;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  numberedBy?: Rel<Account> | null;

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

  /** Who annulled the register entry (hủy số; when and why are on every document: annulledAt, annulmentReason). */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  annulledBy?: Rel<Account> | null;

  @OneToMany('DraftVersion', 'document')
  versions = new Collection<DraftVersion>(this);

  @OneToMany('OutgoingRecipient', 'document')
  recipients = new Collection<OutgoingRecipient>(this);
}
