import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Account } from './Account';
import { Assignment } from './Assignment';

/** A progress note an assignee recorded. */
@Entity({ tableName: 'assignment_progress' })
export class AssignmentProgress {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => Assignment, { deleteRule: 'restrict' })
  assignment!: Rel<Assignment>;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  author!: Rel<Account>;

  @Property({ type: 'text' })
  note!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date & Opt = new Date();
}
