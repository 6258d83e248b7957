import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Assignment, RoutingEvent } from '../../entities';
import type { Context } from '../../src/context';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as changes from '../../src/services/assignment-changes';
import { DateTimeScalar } from '../common/scalars';
import { AssignmentType, RoutingEventType } from './document.types';
import { ChangeAssignmentInput } from './assignment-changes.inputs';

@Resolver(() => AssignmentType)
export class AssignmentChangeResolver {
  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, {
    description:
      'An informed reader marks the document read (đã xem): the assignment for information is COMPLETED; ' +
      'a document sent for information only completes with its last reader.',
  })
  markAssignmentRead(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string) {
    return changes.markAssignmentRead(ctx, assignmentId);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, {
    description:
      'Withdraws an unfinished assignment (thu hồi phân công), with the reason: WITHDRAWN; the assignee is told live ' +
      '(the director, or the head for what the head passed on).',
  })
  withdrawAssignment(@Ctx() ctx: Context, @Arg('assignmentId', () => ID) assignmentId: string, @Arg('reason', () => String) reason: string) {
    return changes.withdrawAssignment(ctx, assignmentId, reason);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => AssignmentType, {
    description:
      'Changes an unfinished assignment’s deadline, instruction or holder, with the reason; ' +
      'returns the assignment in force (a new one when the holder changes) ' +
      '(the director, or the head for what the head passed on).',
  })
  changeAssignment(
    @Ctx() ctx: Context,
    @Arg('assignmentId', () => ID) assignmentId: string,
    @Arg('input', () => ChangeAssignmentInput) input: ChangeAssignmentInput,
  ) {
    return changes.changeAssignment(ctx, assignmentId, input);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When it was withdrawn, if it was.' })
  withdrawnAt(@Root() a: Assignment): Date | null {
    return a.withdrawnAt ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was withdrawn (lý do thu hồi), when it was.' })
  withdrawalReason(@Root() a: Assignment): string | null {
    return a.withdrawalReason ?? null;
  }
}

@Resolver(() => RoutingEventType)
export class RoutingEventAssignmentResolver {
  @FieldResolver(() => ID, {
    nullable: true,
    description:
      'The assignment the event concerns, when it concerns one. ' +
      'A person whose assignment is withdrawn receives that event live with this id (and document null).',
  })
  assignmentId(@Root() e: RoutingEvent): string | null {
    return e.assignment ? toGlobalId('Assignment', e.assignment.id) : null;
  }
}
