import { BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Account } from './Account';
import { PermissionGrant } from './PermissionGrant';

/**
 * The history of permission rules: every addition and removal, by whom and why. Its highest id is
 * the permissions version every server process compares on each request.
 */
@Entity({ tableName: 'permission_change' })
export class PermissionChange {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string & Opt;

  @ManyToOne(() => PermissionGrant, { deleteRule: 'restrict' })
  rule!: Rel<PermissionGrant>;

  /** ADDED or REMOVED. */
  @Property({ type: 'string', length: 10 })
  change!: string;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  actor!: Rel<Account>;

  @Property({ type: 'string', length: 500 })
  reason!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();

  /** The hash of the previous row of the same chain (tamper evidence; set by the database). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  prevHash?: string & Opt;

  /** SHA-256 over the previous hash and this row's content (set by the database; checked by `npm run audit:verify`). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true, lazy: true })
  hash?: string & Opt;
}
