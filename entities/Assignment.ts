import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { AssignmentRole, AssignmentState } from '../src/domain/incoming/routing';
import { Account } from './Account';
import { Document } from './Document';
import { Unit } from './Unit';
import type { AssignmentProgress } from './AssignmentProgress';

/**
 * An assignment (phân công): the director's to a unit or a person, as lead (chủ trì), cooperating
 * (phối hợp) or informed (để biết), or a head's delegation of one to a staff member (`parent`).
 */
@Entity({ tableName: 'assignment' })
@Index({
  name: 'assignment_active_assignee_index',
  expression: 'create index "assignment_active_assignee_index" on "assignment" ("assignee_id", "document_id") where "active"',
})
@Index({
  name: 'assignment_active_scope_unit_index',
  expression: 'create index "assignment_active_scope_unit_index" on "assignment" ("scope_unit_id", "document_id") where "active"',
})
// The RETURNED inbox view and count: assignments returned to their assigner and not yet dealt with, by
// assigner. Few rows; without it a plan for any viewer (a generic plan) reads the whole table, since
// the few assigners each hold most assignments.
@Index({
  name: 'assignment_returned_assigned_by_index',
  expression:
    'create index "assignment_returned_assigned_by_index" on "assignment" ("assigned_by_id", "document_id") where "state" = \'RETURNED\' and not "return_handled"',
})
export class Assignment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => Document, { deleteRule: 'restrict' })
  document!: Rel<Document>;

  @Enum({ items: () => AssignmentRole })
  role!: AssignmentRole;

  /** Assigned to a unit (its head acts on it)… */
  @Index()
  @ManyToOne(() => Unit, { nullable: true, deleteRule: 'restrict' })
  assigneeUnit?: Rel<Unit> | null;

  /** …or to a person. */
  @Index()
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  assignee?: Rel<Account> | null;

  /** The unit whose people the assignment concerns: the assigned unit, or the person's unit when assigned. */
  @Index()
  @ManyToOne(() => Unit, { deleteRule: 'restrict' })
  scopeUnit!: Rel<Unit>;

  @Index()
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  assignedBy!: Rel<Account>;

  /** Ý kiến chỉ đạo. */
  @Property({ type: 'text', nullable: true })
  instruction?: string | null;

  @Property({ type: 'date', nullable: true })
  deadline?: string | null;

  @Enum({ items: () => AssignmentState })
  state!: AssignmentState;

  @Index()
  @ManyToOne(() => Assignment, { nullable: true, deleteRule: 'restrict' })
  parent?: Rel<Assignment> | null;

  /** False once returned: a returned assignment no longer gives its assignee access. */
  @Property({ type: 'boolean', default: true })
  active: boolean & Opt = true;

  /** True once the assigner dealt with a return (assigned again). */
  @Property({ type: 'boolean', default: false })
  returnHandled: boolean & Opt = false;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  result?: string | null;

  @ManyToOne(() => Document, { nullable: true, deleteRule: 'restrict' })
  replyDocument?: Rel<Document> | null;

  @Property({ type: 'text', nullable: true })
  returnReason?: string | null;

  /** When and why it was withdrawn (thu hồi phân công). */
  @Property({ type: 'datetime', nullable: true })
  withdrawnAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  withdrawalReason?: string | null;

  /**
   * For an assignment to a subordinate unit (Điều 7.1): the copy the unit received in its own register,
   * which it routes on inside itself. Null for every other assignment.
   */
  @Index()
  @ManyToOne(() => Document, { nullable: true, deleteRule: 'restrict' })
  unitCopy?: Rel<Document> | null;

  @OneToMany('AssignmentProgress', 'assignment')
  progress = new Collection<AssignmentProgress>(this);
}
