import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';
import { Document } from './Document';
import { Dossier } from './Dossier';

/** A document filed in a dossier, with its ordinal (1, 2, 3… in filing order, kept gapless). */
@Entity({ tableName: 'dossier_document' })
@Unique({ properties: ['document'] })
@Unique({ properties: ['dossier', 'ordinal'] })
export class DossierDocument {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Dossier, { deleteRule: 'restrict' })
  dossier!: Rel<Dossier>;

  /** A document sits in at most one dossier. */
  @ManyToOne(() => Document, { deleteRule: 'restrict' })
  document!: Rel<Document>;

  @Property({ type: 'smallint' })
  ordinal!: number;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  filedBy!: Rel<Account>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  filedAt: Date & Opt = new Date();
}
