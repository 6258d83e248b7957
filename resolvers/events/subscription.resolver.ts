import { Arg, Ctx, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RoutingEvent } from '../../entities';
import type { Context } from '../../src/context';
import { inboxCountsChanged, routingEvents, type RoutingEventFilter as Filter } from '../../src/events/subscriptions';
import { Allow } from '../../src/graphql/access';
import { requestStreamCursor } from '../../src/events/stream-position';
import { InboxCountsType, RoutingEventType } from '../documents/document.types';
import { RoutingEventFilter } from './subscription.inputs';

interface SubscribeData {
  args: { filter?: Filter | null; after?: string | null };
  context: Context;
}

@Resolver()
export class SubscriptionResolver {
  @Allow('AUTHENTICATED')
  @Query(() => String, {
    description:
      'Where the routing-event stream stands for the data read in the same query: select it beside `inbox`, `inboxCounts`, `document` or any other field, then subscribe to `routingEvents(after:)` with it to go live with no gap. It is read before any other field of the query, whatever their order. Events committed while the query ran may be both in the data and replayed (at least once at the seam): skip event ids already seen if it matters.',
  })
  routingEventsCursor(@Ctx() ctx: Context): Promise<string> {
    return requestStreamCursor(ctx);
  }

  @Allow('AUTHENTICATED')
  @Subscription(() => RoutingEventType, {
    description:
      'Routing events of the documents the subscriber may read at the moment of delivery: those after `after` first (replay), then live ones, in one order with no gap. Keep the last `cursor` to resume, on any server.',
    subscribe: ({ args, context }: SubscribeData) => routingEvents(context, args.filter, args.after),
  })
  routingEvents(
    @Root() event: RoutingEvent,
    @Arg('filter', () => RoutingEventFilter, { nullable: true }) _filter: RoutingEventFilter | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The cursor of the last event received, or the `routingEventsCursor` of the query that loaded the data.',
    })
    _after: string | null,
    @Ctx() _ctx: Context,
  ): RoutingEvent {
    return event;
  }

  @Allow('AUTHENTICATED')
  @Subscription(() => InboxCountsType, {
    description: 'The subscriber’s inbox counts: at once, then whenever they change.',
    subscribe: ({ context }: SubscribeData) => inboxCountsChanged(context),
  })
  inboxCountsChanged(@Root() counts: Record<string, number>): Record<string, number> {
    return counts;
  }
}
