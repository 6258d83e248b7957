import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a list ends and whether more follows.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A Relay connection type for `Node`: edges with cursors, page info and the total under the same filter. */
export function Connection<T extends object>(nodeType: abstract new (...args: never[]) => T, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects.` })
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list has under the same filter, counting only those the viewer may see.' })
    totalCount!: number;
  }
  return ConnectionType;
}
