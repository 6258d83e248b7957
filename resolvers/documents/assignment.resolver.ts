import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Account, Assignment, AssignmentProgress, Document, IncomingDocument, RoutingEvent, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import { canReadField } from '../../src/services/field-access';
import { prepared } from '../../src/read/compiled';
import * as incoming from '../../src/services/incoming.service';
import * as work from '../../src/services/assignment-work';
import { AccountType } from '../account/account.type';
import { UnitType } from '../unit/unit.type';
import { CompleteAssignmentInput, DelegateInput } from './document.inputs';
import { AssignmentType, DocumentInterface, IncomingDocumentType, ProgressNoteType, RoutingEventType } from './document.types';
import { findDocumentByKey } from '../../src/services/document-query.service';
import { encodeCursor } from '../../src/events/event-hub';
import { assignmentByKey, routingEventTxid } from '../../src/repositories/records';

@Resolver(() => AssignmentType)
export class AssignmentResolver {
  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, {
    description:
      'A head passes the department’s assignment to a staff member (giao việc), deadline no later than received (the head of the assigned department).',
  })
  delegateAssignment(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string, @Arg('input', () => DelegateInput) input: DelegateInput) {
    return work.delegateAssignment(ctx, assignmentId, input);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, { description: 'Starts work on an assignment (the assignee).' })
  startAssignment(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string) {
    return work.startAssignment(ctx, assignmentId);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, { description: 'Records progress (cập nhật tiến độ) on an assignment (the assignee).' })
  recordProgress(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string, @Arg('note', () => String) note: string) {
    return work.recordProgress(ctx, assignmentId, note);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, { description: 'Completes an assignment with its result; the lead’s completion completes the document (the assignee).' })
  completeAssignment(
    @Ctx() ctx: Context,
    @Arg('assignmentId', () => ID) assignmentId: string,
    @Arg('input', () => CompleteAssignmentInput) input: CompleteAssignmentInput,
  ) {
    return work.completeAssignment(ctx, assignmentId, input);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, { description: 'Gives an assignment back to whoever assigned it (trả lại), with the reason (the assignee).' })
  returnAssignment(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string, @Arg('reason', () => String) reason: string) {
    return work.returnAssignment(ctx, assignmentId, reason);
  }

  @FieldResolver(() => ID)
  id(@Root() a: Assignment): string {
    return toGlobalId('Assignment', a.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Ý kiến chỉ đạo. Sensitive: null for readers a field rule keeps from it.' })
  instruction(@Root() a: Assignment, @Ctx() ctx: Context): string | null {
    const facts = { assignee: a.assignee?.id ?? null, assigneeUnit: a.assigneeUnit?.id ?? null, active: a.active };
    return canReadField(ctx, 'Assignment', facts, 'instruction') ? (a.instruction ?? null) : null;
  }

  @FieldResolver(() => IncomingDocumentType, {
    nullable: true,
    description: 'The document; null once the viewer may no longer read it (after returning the assignment).',
  })
  document(@Root() a: Assignment, @Ctx() ctx: Context): Promise<IncomingDocument | null> {
    return incoming.readableOrNull(ctx, a.document.id);
  }

  @FieldResolver(() => UnitType, { nullable: true, description: 'The department assigned, when assigned to a unit.' })
  assigneeUnit(@Root() a: Assignment, @Ctx() ctx: Context): Promise<Unit | null> | Unit | null {
    const ready = prepared<Unit | null>(a, 'assigneeUnit');
    if (ready !== undefined) return ready;
    return a.assigneeUnit ? ctx.loaders.unit.load(a.assigneeUnit.id) : null;
  }

  @FieldResolver(() => AccountType, { nullable: true, description: 'The person assigned, when assigned to a person.' })
  assignee(@Root() a: Assignment, @Ctx() ctx: Context): Promise<Account | null> | Account | null {
    const ready = prepared<Account | null>(a, 'assignee');
    if (ready !== undefined) return ready;
    return a.assignee ? ctx.loaders.account.load(a.assignee.id) : null;
  }

  @FieldResolver(() => AccountType)
  async assignedBy(@Root() a: Assignment, @Ctx() ctx: Context): Promise<Account> {
    return prepared<Account>(a, 'assignedBy') ?? (await ctx.loaders.account.load(a.assignedBy.id))!;
  }

  @FieldResolver(() => AssignmentType, { nullable: true, description: 'The head’s assignment this one was passed on from.' })
  async parent(@Root() a: Assignment, @Ctx() ctx: Context): Promise<Assignment | null> {
    return a.parent ? assignmentByKey(ctx, a.parent.id) : null;
  }

  @FieldResolver(() => DocumentInterface, { nullable: true, description: 'The document that answers this one (văn bản trả lời), when the viewer may read it.' })
  replyDocument(@Root() a: Assignment, @Ctx() ctx: Context): Promise<Document | null> | null {
    return a.replyDocument ? findDocumentByKey(ctx, a.replyDocument.id) : null;
  }

  @FieldResolver(() => [ProgressNoteType])
  progress(@Root() a: Assignment, @Ctx() ctx: Context): Promise<AssignmentProgress[]> {
    return ctx.loaders.progressByAssignment.load(a.id);
  }
}

@Resolver(() => ProgressNoteType)
export class ProgressNoteResolver {
  @FieldResolver(() => AccountType)
  async author(@Root() p: AssignmentProgress, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(p.author.id))!;
  }
}

@Resolver(() => RoutingEventType)
export class RoutingEventResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The note of the step. Sensitive: null for readers a field rule keeps from history notes.' })
  note(@Root() e: RoutingEvent, @Ctx() ctx: Context): string | null {
    return canReadField(ctx, 'RoutingEvent', {}, 'note') ? (e.note ?? null) : null;
  }

  @FieldResolver(() => ID)
  id(@Root() e: RoutingEvent): string {
    return toGlobalId('RoutingEvent', String(e.id));
  }

  @FieldResolver(() => String, { description: 'Position of the event in the stream: give it as `after` to resume a subscription.' })
  async cursor(@Root() e: RoutingEvent, @Ctx() ctx: Context): Promise<string> {
    const txid = e.txid ?? (await routingEventTxid(ctx, e.id));
    return encodeCursor({ txid: BigInt(txid), id: BigInt(e.id) });
  }

  @FieldResolver(() => DocumentInterface, { nullable: true, description: 'The document; null when the viewer may not read it.' })
  document(@Root() e: RoutingEvent, @Ctx() ctx: Context): Promise<Document | null> {
    return findDocumentByKey(ctx, e.document.id);
  }

  @FieldResolver(() => AccountType, { nullable: true })
  actor(@Root() e: RoutingEvent, @Ctx() ctx: Context): Promise<Account | null> | Account | null {
    const ready = prepared<Account | null>(e, 'actor');
    if (ready !== undefined) return ready;
    return e.actor ? ctx.loaders.account.load(e.actor.id) : null;
  }
}
