import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Document } from './Document';
import { StoredFile } from './StoredFile';

/** A file attached to a document, in order. */
@Entity({ tableName: 'document_attachment' })
@Unique({ properties: ['document', 'file'] })
export class DocumentAttachment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => Document, { deleteRule: 'restrict' })
  document!: Rel<Document>;

  @Index()
  @ManyToOne(() => StoredFile, { deleteRule: 'restrict' })
  file!: Rel<StoredFile>;

  @Property({ type: 'smallint' })
  ordinal!: number;
}
