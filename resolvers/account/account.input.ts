import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, MaxLength } from 'class-validator';
import { AccountStatus, Role } from '../../src/domain/accounts/account-rules';
import { Position } from '../../src/domain/signing/positions';

@InputType({ description: 'A new account (tài khoản).' })
export class CreateAccountInput {
  @Field(() => String, { description: 'The person’s official e-mail address; unique regardless of case.' })
  @MaxLength(254)
  username!: string;

  @Field(() => String)
  @MaxLength(100)
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'The title as printed; one of the positions’ titles also sets positionCode.' })
  @MaxLength(100)
  position?: string | null;

  @Field(() => Position, {
    nullable: true,
    description: 'The position (chức vụ), distinct from roles; sets the printed title. Signing capacities follow from it.',
  })
  positionCode?: Position | null;

  @Field(() => ID)
  unitId!: string;

  @Field(() => [Role])
  @ArrayMaxSize(5)
  roles!: Role[];
}

@InputType({ description: 'Changes to an account; omitted fields stay as they are.' })
export class UpdateAccountInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  fullName?: string;

  @Field(() => String, { nullable: true, description: 'The title as printed; one of the positions’ titles also sets positionCode.' })
  @MaxLength(100)
  position?: string | null;

  @Field(() => Position, {
    nullable: true,
    description: 'The position (chức vụ), distinct from roles; sets the printed title. Signing capacities follow from it.',
  })
  positionCode?: Position | null;

  @Field(() => [Role], { nullable: true })
  @ArrayMaxSize(5)
  roles?: Role[];
}

@InputType({ description: 'Narrows the account list.' })
export class AccountFilter {
  @Field(() => ID, { nullable: true })
  unitId?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => AccountStatus, { nullable: true })
  status?: AccountStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the user name or full name.' })
  @MaxLength(100)
  text?: string | null;
}
