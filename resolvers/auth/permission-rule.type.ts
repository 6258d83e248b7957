import { Field, ObjectType } from 'type-graphql';
import { JSONScalar } from '../common/scalars';

@ObjectType({ description: 'One permission rule (quyền) in CASL’s raw form.' })
export class PermissionRule {
  @Field(() => String)
  action!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => JSONScalar, { nullable: true })
  conditions?: unknown;

  @Field(() => [String], { nullable: true })
  fields?: string[] | null;

  @Field(() => Boolean)
  inverted!: boolean;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}
