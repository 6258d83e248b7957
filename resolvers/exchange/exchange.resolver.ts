import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Correspondent } from '../../entities';
import { ExchangeMessage } from '../../entities/ExchangeMessage';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { OutboxState } from '../../src/domain/exchange/delivery';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as exchange from '../../src/exchange/exchange.service';
import { PageArgs } from '../common/page.args';
import { CorrespondentType } from '../reference/reference.types';
import { ExchangeMessageType, ExchangeMessageConnection } from './exchange.types';

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
