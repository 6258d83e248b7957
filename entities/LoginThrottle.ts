import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Sign-in attempts counted per (account, address) pair, per client address and per account name,
 * kept in PostgreSQL so that the limits hold across every server process
 * (src/services/login-throttle.ts).
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  /** `pair:<address>|<user name>`, `address:<client address>` or `account:<user name>`. */
  @PrimaryKey({ type: 'string', length: 400 })
  key!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'datetime' })
  windowStartedAt!: Date;

  /** Pairs and addresses: refused until then. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;

  /** Accounts: the earliest time the next slowed attempt may run. */
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;
}
