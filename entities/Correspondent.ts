import { Entity, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** An outside organisation (cơ quan gửi, nhận) that sends incoming documents or receives outgoing ones. */
@Entity({ tableName: 'correspondent' })
export class Correspondent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 30, nullable: true })
  shortName?: string | null;

  /** The 13-character identifier (mã định danh), where known. */
  @Unique()
  @Property({ type: 'string', length: 13, nullable: true })
  organId?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
