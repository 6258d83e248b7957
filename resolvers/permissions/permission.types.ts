import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { Role } from '../../src/domain/accounts/account-rules';
import { ConditionKind } from '../../src/domain/permissions/custom-rules';
import { DelegationRight } from '../../src/domain/permissions/delegation';
import { DelegationForm } from '../../src/domain/signing/capacity';
import '../signing/signing.types';
import { Connection } from '../common/connection';
import { DateScalar, DateTimeScalar } from '../common/scalars';

registerEnumType(ConditionKind, {
  name: 'PermissionCondition',
  description: 'The fixed vocabulary of conditions an administrator may put on a rule.',
  valuesConfig: {
    ANY: { description: 'Every object of the subject.' },
    OWN_UNIT: { description: 'Of the viewer’s own unit.' },
    OWN_DEPARTMENT: { description: 'Of the viewer’s department.' },
    OWN_KEEPING_UNIT: { description: 'Of the viewer’s records-keeping unit.' },
    OWN_AGENCY: { description: 'Of any unit of the viewer’s agency, its subordinate units and their departments included (Report only).' },
    ASSIGNED_TO_ME: { description: 'Assigned to the viewer.' },
    DRAFTED_BY_ME: { description: 'Drafted by the viewer.' },
  },
});

registerEnumType(DelegationRight, {
  name: 'DelegationRight',
  description: 'What may be delegated (ủy quyền).',
  valuesConfig: { SIGN: { description: 'A director’s signing.' }, REVIEW: { description: 'A head’s review of drafts.' } },
});

@ObjectType('PermissionGrant', { implements: Node, description: 'A rule an administrator added on top of the role defaults (quyền bổ sung).' })
export class PermissionGrantType {
  @Field(() => ID) id!: string;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => String) action!: string;
  @Field(() => String) subject!: string;
  @Field(() => ConditionKind) condition!: ConditionKind;
  @Field(() => [String], { nullable: true }) fields?: string[] | null;
  @Field(() => Boolean, { description: 'True for a deny rule.' }) inverted!: boolean;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt?: Date | null;
}

@ObjectType('PermissionChange', { description: 'One change to the permission rules: who, why, when.' })
export class PermissionChangeType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'ADDED or REMOVED.' }) change!: string;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeScalar) at!: Date;
}

@ObjectType('Delegation', { implements: Node, description: 'Ủy quyền: a right delegated to a deputy for a range of office days.' })
export class DelegationType {
  @Field(() => ID) id!: string;
  @Field(() => DelegationRight) right!: DelegationRight;
  @Field(() => DelegationForm, { nullable: true, description: 'For SIGN: a written authorisation (TUQ.) or by order (TL.).' }) form?: DelegationForm | null;
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt?: Date | null;
}

export const PermissionChangeConnection = Connection(PermissionChangeType, 'PermissionChange');
