import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Direction, METADATA_LIMITS as L, Urgency } from '../src/domain/documents/document-enums';
import { Account } from './Account';
import { DocumentType } from './DocumentType';
import { Register } from './Register';
import { Unit } from './Unit';
import type { Assignment } from './Assignment';
import type { DocumentAttachment } from './DocumentAttachment';

/**
 * A document (văn bản), incoming or outgoing, in one table: lists, permissions, search and dossiers
 * treat both directions alike. The metadata follow NĐ 30/2020 Phụ lục VI.
 */
@Entity({ tableName: 'document', abstract: true, discriminatorColumn: 'direction' })
@Index({ properties: ['keepingUnit', 'state'] })
@Index({ properties: ['createdAt', 'id'] })
@Unique({ name: 'document_exchange_document_id_unique', properties: ['direction', 'keepingUnit', 'exchangeDocumentId'] })
@Index({ name: 'document_search_vector', expression: 'create index "document_search_vector" on "document" using gin ("search_vector")' })
// A search's arm over a keeping unit's documents as an index-only scan (migration 20261202120000).
@Index({
  name: 'document_keeping_search',
  expression: 'create index "document_keeping_search" on "document" ("keeping_unit_id", "direction") include ("state", "created_at", "id", "search_text")',
})
export abstract class Document {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => Direction })
  direction!: Direction;

  @ManyToOne(() => DocumentType, { deleteRule: 'restrict' })
  documentType!: Rel<DocumentType>;

  @Property({ type: 'string', length: L.number, nullable: true })
  number?: string | null;

  @Property({ type: 'string', length: L.symbol, nullable: true })
  symbol?: string | null;

  @Property({ type: 'date', nullable: true })
  issuedDate?: string | null;

  /** The issuing body's name, as printed. */
  @Property({ type: 'string', length: L.issuer })
  issuer!: string;

  /** Trích yếu nội dung. */
  @Property({ type: 'string', length: L.subject })
  subject!: string;

  @Property({ type: 'string', length: L.language, default: 'vi' })
  language: string & Opt = 'vi';

  @Property({ type: 'smallint', nullable: true })
  pageCount?: number | null;

  @Property({ type: 'string', length: L.note, nullable: true })
  note?: string | null;

  @Property({ type: 'string', length: L.signerName, nullable: true })
  signerName?: string | null;

  @Property({ type: 'string', length: L.signerPosition, nullable: true })
  signerPosition?: string | null;

  @Enum({ items: () => Urgency, default: Urgency.NORMAL })
  urgency: Urgency & Opt = Urgency.NORMAL;

  /** Thời hạn giải quyết. */
  @Property({ type: 'date', nullable: true })
  dueDate?: string | null;

  /** The records-keeping unit whose registers hold the document. */
  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  keepingUnit!: Rel<Unit>;

  @Property({ type: 'string', length: 30 })
  state!: string;

  /** The register (sổ) that numbered the document: incoming on registration, outgoing on issue. */
  @ManyToOne(() => Register, { nullable: true, deleteRule: 'restrict' })
  register?: Rel<Register> | null;

  /** Null for a document that arrived through the document exchange. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  createdBy?: Rel<Account> | null;

  /** The exchange's DocumentId (OrganId,yyyy/MM/dd,Number/Notation): ours once issued, the sender's for a document received through the exchange. */
  @Property({ type: 'string', length: 100, nullable: true })
  exchangeDocumentId?: string | null;

  /** When the register entry was annulled (a registration or issue made in error): the number stays used, shown annulled. */
  @Property({ type: 'datetime', nullable: true })
  annulledAt?: Date | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  annulmentReason?: string | null;

  /** Folded (lower case, no diacritics) subject, number/symbol, issuer and note, kept by a trigger for search. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  searchText?: string | null;

  /** The suffixes of the words of `searchText` as lexemes, kept by the same trigger; a GIN index serves the search (src/services/document-search.ts). */
  @Property({ type: 'string', columnType: 'tsvector', nullable: true, lazy: true, hidden: true })
  searchVector?: string | null;

  @OneToMany('Assignment', 'document')
  assignments = new Collection<Assignment>(this);

  @OneToMany('DocumentAttachment', 'document')
  attachments = new Collection<DocumentAttachment>(this);

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
