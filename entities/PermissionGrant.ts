import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Role } from '../src/domain/accounts/account-rules';
import { ConditionKind } from '../src/domain/permissions/custom-rules';
import { Account } from './Account';
import { Unit } from './Unit';

/**
 * A rule an administrator added on top of the role defaults, for a role or for one account: allow
 * or deny an action on a subject under a condition of the fixed vocabulary. Never edited: removing
 * it stamps `revokedAt`.
 */
@Entity({ tableName: 'permission_rule' })
export class PermissionGrant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => Role, nullable: true })
  role?: Role | null;

  @Index()
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  account?: Rel<Account> | null;

  /** With a role: the rule holds only for holders of the role whose unit is this one (e.g. the head of the Office). */
  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  unit?: Rel<Unit> | null;

  @Property({ type: 'string', length: 40 })
  action!: string;

  @Property({ type: 'string', length: 40 })
  subject!: string;

  @Enum({ items: () => ConditionKind })
  condition!: ConditionKind;

  @Property({ type: ArrayType, columnType: 'text[]', nullable: true })
  fields?: string[] | null;

  @Property({ type: 'boolean' })
  inverted!: boolean;

  @Property({ type: 'string', length: 500 })
  reason!: string;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  createdBy!: Rel<Account>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  revokedBy?: Rel<Account> | null;
}
