import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { DossierState } from '../src/domain/dossiers/dossier-rules';
import { Account } from './Account';
import { Unit } from './Unit';

/** A work dossier (hồ sơ công việc), NĐ 30/2020 Điều 28-31 and Phụ lục V. */
@Entity({ tableName: 'dossier' })
@Index({ name: 'dossier_search_text_trgm', expression: 'create index dossier_search_text_trgm on "dossier" using gin (search_text gin_trgm_ops)' })
export class Dossier {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Organ identifier + year + notation: `000.00.00.H08.2026.01.VP`. */
  @Unique()
  @Property({ type: 'string', length: 40 })
  code!: string;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'string', length: 20 })
  notation!: string;

  @Property({ type: 'string', length: 500 })
  title!: string;

  /** Thời hạn bảo quản in years; null means permanent (vĩnh viễn). */
  @Property({ type: 'smallint', nullable: true })
  retentionYears?: number | null;

  @Property({ type: 'string', length: 200, nullable: true })
  rights?: string | null;

  @Property({ type: 'string', length: 30, default: 'vi' })
  language: string & Opt = 'vi';

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date', nullable: true })
  endDate?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  note?: string | null;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  owner!: Rel<Account>;

  /** The unit of the person responsible, when the dossier was opened. */
  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  ownerUnit!: Rel<Unit>;

  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  keepingUnit!: Rel<Unit>;

  @Enum({ items: () => DossierState })
  state!: DossierState;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  /** Folded (lower case, no diacritics) title and code, kept by a trigger for search. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  searchText?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
