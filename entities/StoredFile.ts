import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';

/**
 * An uploaded file. The bytes live once under UPLOAD_DIR, addressed by their SHA-256; each upload
 * is its own row with the name it was given and who gave it.
 */
@Entity({ tableName: 'stored_file' })
export class StoredFile {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: new BigIntType('number') })
  size!: number;

  @Property({ type: 'string', length: 100 })
  mimeType!: string;

  @Property({ type: 'string', length: 255 })
  name!: string;

  @Index()
  /** Null for a file that arrived through the document exchange. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  uploadedBy?: Rel<Account> | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
