import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Direction } from '../src/domain/documents/document-enums';
import { Unit } from './Unit';

/**
 * A register (sổ văn bản): one per records-keeping unit, direction and year. `lastNumber` is the
 * counter row locked by each registration, so numbers never skip or repeat.
 */
@Entity({ tableName: 'register' })
@Unique({ properties: ['keepingUnit', 'direction', 'year'] })
export class Register {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  keepingUnit!: Rel<Unit>;

  @Enum({ items: () => Direction })
  direction!: Direction;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'integer', default: 0 })
  lastNumber: number & Opt = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
