import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { DocumentTypeOrigin } from '../src/domain/reference/document-types';

/**
 * A document type (loại văn bản): NĐ 30/2020 Phụ lục III seeded by a migration, plus the types the
 * SYSADMIN adds and those that arrive from outside. Never deleted: documents keep their type.
 */
@Entity({ tableName: 'document_type' })
@Index({ name: 'document_type_name_lower_unique', expression: 'create unique index "document_type_name_lower_unique" on "document_type" (lower("name"))' })
export class DocumentType {
  /** The abbreviation, or `CV` for Công văn. */
  @PrimaryKey({ type: 'string', length: 10 })
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  abbreviation?: string | null;

  /** Where the type comes from: the national list, a SYSADMIN, or a package received from a peer. */
  @Enum({ items: () => DocumentTypeOrigin, default: DocumentTypeOrigin.DECREE_30 })
  origin: DocumentTypeOrigin & Opt = DocumentTypeOrigin.DECREE_30;

  /** Set when the type is no longer offered for new drafts; documents that have it keep it. */
  @Property({ type: 'datetime', nullable: true })
  retiredAt?: Date | null;
}
