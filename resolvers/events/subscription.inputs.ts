import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { RoutingEventKind } from '../documents/document.types';

@InputType({ description: 'Which routing events a subscriber wants; all conditions apply together.' })
export class RoutingEventFilter {
  @Field(() => ID, { nullable: true, description: 'Only the events of this document.' })
  documentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the events of documents kept by this unit.' })
  unitId?: string | null;

  @Field(() => [RoutingEventKind], { nullable: true, description: 'Only these event types (REGISTERED, ASSIGNED, ISSUED…).' })
  @ArrayMaxSize(50)
  types?: RoutingEventKind[] | null;
}
