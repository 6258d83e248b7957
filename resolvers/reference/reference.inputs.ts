import { Field, InputType } from 'type-graphql';
import { MaxLength } from 'class-validator';

@InputType({ description: 'Changes to an outside organisation; what is left out stays as it is. An empty endpoint or secret removes it.' })
export class UpdateCorrespondentInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(30)
  shortName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(13)
  organId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a peer of the document exchange: the URL its server takes edXML messages at (https; http only outside production).',
  })
  @MaxLength(500)
  endpoint?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a peer of the document exchange: the secret shared with it (32 to 200 characters). Never readable back.',
  })
  @MaxLength(200)
  secret?: string | null;
}

@InputType({ description: 'A new outside organisation.' })
export class CreateCorrespondentInput extends UpdateCorrespondentInput {
  @Field(() => String)
  @MaxLength(200)
  declare name: string;
}
