import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { prepared } from '../../src/read/compiled';
import { Assignment, Correspondent, IncomingDocument, OutgoingDocument, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as queries from '../../src/services/document-query.service';
import * as incoming from '../../src/services/incoming.service';
import { readableOutgoingOrNull } from '../../src/services/outgoing-access';
import { AssignDocumentInput, ReceiveDocumentInput } from './document.inputs';
import { AssignmentType, IncomingDocumentType, OutgoingDocumentType, SenderUnion } from './document.types';

@Resolver(() => IncomingDocumentType)
export class IncomingDocumentResolver {
  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, {
    description: 'Receives a document (tiếp nhận): metadata and uploaded files; RECEIVED, or REGISTERED with registerNow (CLERK).',
  })
  receiveDocument(
    @Ctx() ctx: Context,
    @Arg('input', () => ReceiveDocumentInput) input: ReceiveDocumentInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return incoming.receiveDocumentOnce(ctx, input, idempotencyKey);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, { description: 'Registers (vào sổ): the next arrival number of the register; REGISTERED (CLERK).' })
  registerDocument(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return incoming.registerDocumentOnce(ctx, id, idempotencyKey);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, { description: 'Refuses a wrong or invalid document back to its sender (từ chối), with the reason (CLERK).' })
  rejectDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return incoming.rejectDocument(ctx, id, reason);
  }

  @Allow(Role.CLERK)
  @Mutation(() => [IncomingDocumentType], { description: 'Submits registered documents to the director (trình), all or none (CLERK).' })
  submitDocuments(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]) {
    return incoming.submitDocuments(ctx, ids);
  }

  @Allow(Role.DIRECTOR)
  @Mutation(() => IncomingDocumentType, {
    description: 'Directs a submitted document (phân công): instruction, lead, cooperating and informed, deadlines (DIRECTOR).',
  })
  assignDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => AssignDocumentInput) input: AssignDocumentInput) {
    return incoming.assignDocument(ctx, id, input);
  }

  @FieldResolver(() => ID)
  id(@Root() d: IncomingDocument): string {
    return toGlobalId('IncomingDocument', d.id);
  }

  @FieldResolver(() => SenderUnion, { nullable: true })
  async sender(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<Correspondent | Unit | null> {
    const ready = prepared<Correspondent | Unit | null>(d, 'sender');
    if (ready !== undefined) return ready;
    if (d.senderCorrespondent) return ctx.loaders.correspondent.load(d.senderCorrespondent.id);
    if (d.senderUnit) return ctx.loaders.unit.load(d.senderUnit.id);
    return null;
  }

  @FieldResolver(() => [AssignmentType], { description: 'Every assignment, in the order made, including delegations and returned ones.' })
  assignments(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<Assignment[]> | Assignment[] {
    return prepared<Assignment[]>(d, 'assignments') ?? ctx.loaders.assignmentsByDocument.load(d.id);
  }

  @FieldResolver(() => [IncomingDocumentType], {
    description: 'Registered documents with the same number, symbol and issuer: a probable duplicate (warning, not a refusal).',
  })
  possibleDuplicates(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<IncomingDocument[]> {
    return queries.possibleDuplicates(ctx, d);
  }

  @FieldResolver(() => OutgoingDocumentType, {
    nullable: true,
    description: 'The outgoing document of a unit of this system that this copy came from, when the viewer may read it.',
  })
  origin(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<OutgoingDocument | null> | null {
    return d.origin ? readableOutgoingOrNull(ctx, d.origin.id) : null;
  }

  @FieldResolver(() => Boolean, {
    description: 'Registered and late for the director: urgent, or registered before the last 9:00 / 15:00 cut-off of a working day.',
  })
  submissionOverdue(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<boolean> {
    return queries.submissionOverdue(ctx, d);
  }
}
