import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A new document type.' })
export class CreateDocumentTypeInput {
  @Field(() => String, { description: 'The code inputs name it by (letters and digits, at most 10): usually the abbreviation. It never changes.' })
  @MaxLength(10)
  code!: string;

  @Field(() => String, { description: 'Its name: "Thông tư".' })
  @MaxLength(100)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Written into symbols (TT → 12/TT-SXD); none for a type written like Công văn (SXD-VP).' })
  @MaxLength(10)
  abbreviation?: string | null;
}

@InputType({ description: 'Changes to a document type; what is left out stays. A null abbreviation removes it.' })
export class UpdateDocumentTypeInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(10)
  abbreviation?: string | null;
}
