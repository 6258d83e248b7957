import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { METADATA_LIMITS } from '../src/domain/documents/document-enums';
import { Account } from './Account';
import { OutgoingDocument } from './OutgoingDocument';
import { StoredFile } from './StoredFile';

/** One version of a draft (dự thảo): its file, its author and the metadata it had. Never changed once written. */
@Entity({ tableName: 'draft_version' })
@Unique({ properties: ['document', 'version'] })
export class DraftVersion {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => OutgoingDocument, { deleteRule: 'restrict' })
  document!: Rel<OutgoingDocument>;

  @Property({ type: 'integer' })
  version!: number;

  @ManyToOne(() => StoredFile, { deleteRule: 'restrict' })
  file!: Rel<StoredFile>;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  author!: Rel<Account>;

  @Property({ type: 'string', length: METADATA_LIMITS.subject })
  subject!: string;

  /** The rest of the draft's metadata at this version. */
  @Property({ type: 'json' })
  metadata!: Record<string, unknown>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
