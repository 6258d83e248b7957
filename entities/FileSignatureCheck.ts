import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { SignatureFacts } from '../src/domain/signatures/verdict';
import { StoredFile } from './StoredFile';

/**
 * What the check of a stored PDF's digital signatures found (src/services/signature-check.ts): the
 * file's verdict and each signature's facts, made on upload or on arrival through the exchange, and
 * again before issuing when the trust anchors changed since. A file that is not a PDF has none.
 */
@Entity({ tableName: 'file_signature_check' })
export class FileSignatureCheck {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @ManyToOne(() => StoredFile, { deleteRule: 'cascade' })
  file!: Rel<StoredFile>;

  /** A SignatureVerdict. */
  @Property({ type: 'string', length: 30 })
  verdict!: string;

  /** Why the file as a whole could not be checked, or null. */
  @Property({ type: 'string', length: 500, nullable: true })
  problem?: string | null;

  @Property({ type: 'json' })
  signatures!: SignatureFacts[];

  /** The trust anchors the check was made under (SignatureSettings.anchorsDigest). */
  @Property({ type: 'string', length: 64 })
  anchorsDigest!: string;

  @Property({ type: 'datetime' })
  checkedAt!: Date;
}
