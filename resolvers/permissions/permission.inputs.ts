import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Role } from '../../src/domain/accounts/account-rules';
import { ConditionKind } from '../../src/domain/permissions/custom-rules';
import { DelegationRight } from '../../src/domain/permissions/delegation';
import { DelegationForm } from '../../src/domain/signing/capacity';
import '../signing/signing.types';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'A rule for a role or for one account (exactly one of the two).' })
export class AddPermissionRuleInput {
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => ID, { nullable: true }) accountId?: string | null;
  @Field(() => ID, { nullable: true, description: 'With role: only the holders of the role whose unit is this one (e.g. HEAD of the Office).' })
  unitId?: string | null;
  @Field(() => String, { description: 'read, create, update, register, assign, sign, issue…' }) @MaxLength(40) action!: string;
  @Field(() => String, { description: 'IncomingDocument, OutgoingDocument, Dossier, Account, Assignment, Report…' }) @MaxLength(40) subject!: string;
  @Field(() => ConditionKind, { defaultValue: ConditionKind.ANY }) condition!: ConditionKind;
  @Field(() => [String], { nullable: true, description: 'Limit the rule to these fields.' }) @ArrayMaxSize(20) fields?: string[] | null;
  @Field(() => Boolean, { defaultValue: false, description: 'True to deny rather than allow.' }) inverted!: boolean;
  @Field(() => String, { description: 'Why: kept in the history.' }) @MaxLength(500) reason!: string;
}

@InputType({ description: 'A delegation to a deputy.' })
export class DelegateAuthorityInput {
  @Field(() => ID) accountId!: string;
  @Field(() => DelegationRight) right!: DelegationRight;
  @Field(() => DelegationForm, {
    nullable: true,
    description: 'For SIGN: AUTHORISATION (TUQ., the default) or BY_ORDER (TL.) for the head of a unit; a deputy director signs KT. under either.',
  })
  form?: DelegationForm | null;
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
  @Field(() => String, { nullable: true }) @MaxLength(500) reason?: string | null;
}
