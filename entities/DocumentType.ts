import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A document type (loại văn bản) of NĐ 30/2020 Phụ lục III, seeded by a migration. */
@Entity({ tableName: 'document_type' })
export class DocumentType {
  /** The abbreviation, or `CV` for Công văn. */
  @PrimaryKey({ type: 'string', length: 10 })
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  abbreviation?: string | null;
}
