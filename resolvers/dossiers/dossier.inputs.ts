import { MaxLength } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DossierState } from '../../src/domain/dossiers/dossier-rules';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'A new dossier.' })
export class OpenDossierInput {
  @Field(() => String, { description: 'Ký hiệu, e.g. 01.VP.' })
  @MaxLength(20)
  notation!: string;

  @Field(() => String)
  @MaxLength(500)
  title!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => String, { description: '"PERMANENT" or a number of years.' })
  @MaxLength(20)
  retention!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(500)
  note?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  rights?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(30)
  language?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Today by default.' })
  startDate?: string | null;
}

@InputType({ description: 'Changes to a dossier; omitted fields stay as they are.' })
export class UpdateDossierInput {
  @Field(() => String, { nullable: true })
  @MaxLength(500)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(20)
  retention?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(500)
  note?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  rights?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(30)
  language?: string | null;

  @Field(() => DateScalar, { nullable: true })
  endDate?: string | null;
}

@InputType({ description: 'Narrows the dossier list.' })
export class DossierFilter {
  @Field(() => String, { nullable: true, description: 'Words of the title or code, ignoring case and diacritics.' })
  @MaxLength(200)
  text?: string | null;

  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => DossierState, { nullable: true })
  state?: DossierState | null;

  @Field(() => Boolean, { nullable: true, description: 'Only closed dossiers due for the archive within 30 days.' })
  handoverDue?: boolean | null;
}
