import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { DelegationRight } from '../src/domain/permissions/delegation';
import { DelegationForm } from '../src/domain/signing/capacity';
import { Account } from './Account';
import { Unit } from './Unit';

/** Ủy quyền: a director delegates signing, or a head review, to a deputy for a range of office days. */
@Entity({ tableName: 'delegation' })
export class Delegation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  fromAccount!: Rel<Account>;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  toAccount!: Rel<Account>;

  @Enum({ items: () => DelegationRight })
  right!: DelegationRight;

  /** For SIGN: a written authorisation for the period (TUQ.) or signing by order (TL.). Null for REVIEW. */
  @Enum({ items: () => DelegationForm, nullable: true })
  form?: DelegationForm | null;

  /** The delegator's keeping unit (SIGN) or department (REVIEW). */
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  scopeUnit!: Rel<Unit>;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date' })
  endDate!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}
