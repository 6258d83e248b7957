import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed sign-ins counted per account name and per client address, kept in PostgreSQL
 * so that the limit holds across every server process.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  /** `account:<user name>` or `address:<client address>`. */
  @PrimaryKey({ type: 'string', length: 300 })
  key!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'datetime' })
  windowStartedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;
}
