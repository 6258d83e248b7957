import { Entity, Formula, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Unit } from './Unit';

/**
 * An outside organisation (cơ quan gửi, nhận) that sends incoming documents or receives outgoing ones,
 * as one agency of the deployment knows it: its endpoint, secret and outbox are that agency's alone.
 */
@Entity({ tableName: 'correspondent' })
@Unique({ properties: ['agency', 'organId'] })
export class Correspondent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The agency (top unit of a tree) whose correspondent this is. */
  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  agency!: Rel<Unit>;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 30, nullable: true })
  shortName?: string | null;

  /** The 13-character identifier (mã định danh), where known; one correspondent per identifier in an agency. */
  @Property({ type: 'string', length: 13, nullable: true })
  organId?: string | null;

  /** Where its exchange server takes edXML messages (POST), when it is reached through the exchange. */
  @Property({ type: 'string', length: 500, nullable: true })
  endpoint?: string | null;

  /** The secret shared with that peer, encrypted with this deployment's key; never sent back through the API. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  secretCipher?: string | null;

  /** Whether a secret is set, read with the row (the secret itself stays unloaded). */
  @Formula((table) => `${table.toString()}.secret_cipher is not null`, { type: 'boolean', hidden: true })
  hasSecret?: boolean & Opt;

  /** A peer the document exchange can reach: an endpoint and a shared secret. */
  isExchangePeer(): boolean {
    const hasSecret = this.secretCipher !== undefined ? this.secretCipher !== null : !!this.hasSecret;
    return !!this.endpoint && hasSecret;
  }

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
