import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { ExchangeMessageKind } from '../../entities/ExchangeMessage';
import { OutboxState } from '../../src/domain/exchange/delivery';
import { Connection } from '../common/connection';
import { DateTimeScalar } from '../common/scalars';

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
