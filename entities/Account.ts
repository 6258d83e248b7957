import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AccountEndReason, AccountStatus, Role } from '../src/domain/accounts/account-rules';
import { Position } from '../src/domain/signing/positions';
import { Unit } from './Unit';

/** An account (tài khoản): one per person, named by the person's official e-mail address. */
@Entity({ tableName: 'account' })
export class Account {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored in lower case: user names are unique regardless of case. */
  @Unique()
  @Property({ type: 'string', length: 254 })
  username!: string;

  @Property({ type: 'string', length: 100 })
  fullName!: string;

  /** The title as printed ("Phó Giám đốc"): the title of `positionCode` when one is recorded. */
  @Property({ type: 'string', length: 100, nullable: true })
  position?: string | null;

  /** The position (chức vụ), distinct from roles: the capacity in which the person signs follows from it. */
  @Enum({ items: () => Position, nullable: true })
  positionCode?: Position | null;

  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  unit!: Rel<Unit>;

  @Property({ type: ArrayType, columnType: 'text[]' })
  roles!: Role[];

  @Enum({ items: () => AccountStatus, default: AccountStatus.ACTIVE })
  status: AccountStatus & Opt = AccountStatus.ACTIVE;

  @Enum({ items: () => AccountEndReason, nullable: true })
  endReason?: AccountEndReason | null;

  @Property({ type: 'boolean', default: true })
  mustChangePassword: boolean & Opt = true;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
