import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { Correspondent } from '../../entities';
import { ExchangeMessage, ExchangeMessageKind } from '../../entities/ExchangeMessage';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { OutboxState } from '../../src/domain/exchange/delivery';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as exchange from '../../src/exchange/exchange.service';
import { Connection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import { DateTimeScalar } from '../common/scalars';
import { CorrespondentType } from '../reference/reference.resolver';

registerEnumType(OutboxState, {
  name: 'OutboxState',
  description: 'Where a message of the document exchange stands.',
  valuesConfig: {
    QUEUED: { description: 'Written, not tried yet.' },
    SENT: { description: 'Handed to the peer, waiting for its answer.' },
    FAILED: { description: 'The last attempt failed; tried again with backoff.' },
    ACKNOWLEDGED: { description: 'The peer took it; never sent again.' },
    REFUSED: { description: 'The peer refused it for good, or it was given up; retryExchangeMessage sends it again.' },
  },
});
registerEnumType(ExchangeMessageKind, { name: 'ExchangeMessageKind', description: 'A document package, or a status back to a sender.' });

@ObjectType('ExchangeMessage', { implements: Node, description: 'A message in the outbox of the document exchange (liên thông), to one peer.' })
export class ExchangeMessageType {
  @Field(() => ID)
  id!: string;

  @Field(() => ExchangeMessageKind)
  kind!: ExchangeMessageKind;

  @Field(() => String, { description: 'The DocumentId it is about (OrganId,yyyy/MM/dd,Number/Notation).' })
  exchangeDocumentId!: string;

  @Field(() => Int, { nullable: true, description: 'For a package: 0 new, 1 recall, 2 update, 3 replace.' })
  businessDocType?: number | null;

  @Field(() => String, { nullable: true, description: 'For a status: 01–06, 15, 16.' })
  statusCode?: string | null;

  @Field(() => OutboxState)
  state!: OutboxState;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, or why the peer refused it.' })
  lastError?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastAttemptAt?: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it is tried next (when QUEUED or FAILED).' })
  nextAttemptAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  acknowledgedAt?: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

export const ExchangeMessageConnection = Connection(ExchangeMessageType, 'ExchangeMessage');

@Resolver(() => ExchangeMessageType)
export class ExchangeResolver {
  @Allow(Role.CLERK, Role.SYSADMIN)
  @Query(() => ExchangeMessageConnection, {
    description:
      'The outbox of the viewer’s agency in the document exchange, newest first, optionally in one state: what is waiting, failing or refused (CLERK or SYSADMIN).',
  })
  exchangeOutbox(@Ctx() ctx: Context, @Arg('state', () => OutboxState, { nullable: true }) state: OutboxState | null, @Args(() => PageArgs) page: PageArgs) {
    return exchange.listOutbox(ctx, state, page.first, page.after);
  }

  @Allow(Role.CLERK, Role.SYSADMIN)
  @Mutation(() => ExchangeMessageType, {
    description:
      'Sends a failed or refused message of the viewer’s agency again now, once its cause is fixed (CLERK or SYSADMIN; NOT_FOUND for another agency’s). An acknowledged message is never sent again.',
  })
  retryExchangeMessage(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<ExchangeMessage> {
    return exchange.retryMessage(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() m: ExchangeMessage): string {
    return toGlobalId('ExchangeMessage', m.id);
  }

  @FieldResolver(() => CorrespondentType, { description: 'The peer it goes to.' })
  async correspondent(@Root() m: ExchangeMessage, @Ctx() ctx: Context): Promise<Correspondent> {
    return (await ctx.loaders.correspondent.load(m.correspondent.id))!;
  }
}
