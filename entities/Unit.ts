import { Entity, Enum, Index, ManyToOne, OneToMany, Collection, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { UnitKind } from '../src/domain/units/unit-rules';

/** A unit (đơn vị) of the agency's tree: the agency, a department or a subordinate unit. */
@Entity({ tableName: 'unit' })
export class Unit {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 20 })
  shortName!: string;

  /** The 13-character identifier (mã định danh) where known. */
  @Unique()
  @Property({ type: 'string', length: 13, nullable: true })
  code?: string | null;

  @Enum({ items: () => UnitKind })
  kind!: UnitKind;

  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  parent?: Rel<Unit> | null;

  @OneToMany(() => Unit, (u) => u.parent)
  children = new Collection<Unit>(this);

  /** True for the agency and subordinate units, which have their own clerk and registers. */
  /** For a collective body (chế độ tập thể): the name written after "TM." above its head's signature, e.g. "Ủy ban nhân dân". */
  @Property({ type: 'string', length: 200, nullable: true })
  collectiveBody?: string | null;

  @Property({ type: 'boolean' })
  keepsRecords!: boolean;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
