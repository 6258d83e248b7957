import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import { Account, Delegation, PermissionChange, PermissionGrant, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { ConditionKind } from '../../src/domain/permissions/custom-rules';
import { DelegationRight } from '../../src/domain/permissions/delegation';
import { DelegationForm } from '../../src/domain/signing/capacity';
import '../signing/signing.types';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as permissions from '../../src/services/permission.service';
import { permissionGrantByKey } from '../../src/repositories/records';
import { AccountType } from '../account/account.type';
import { PermissionRule } from '../auth/permission-rule.type';
import { UnitType } from '../unit/unit.type';
import { Connection } from '../common/connection';
import { PageArgs } from '../common/page.args';
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
export const PermissionChangeConnection = Connection(PermissionChangeType, 'PermissionChange');

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

@Resolver(() => PermissionGrantType)
export class PermissionResolver {
  @Allow(Role.SYSADMIN)
  @Query(() => [PermissionGrantType], { description: 'The rules administrators added, for a role or an account (SYSADMIN).' })
  permissionRules(
    @Ctx() ctx: Context,
    @Arg('role', () => Role, { nullable: true }) role: Role | null,
    @Arg('accountId', () => ID, { nullable: true }) accountId: string | null,
  ) {
    return permissions.listRules(ctx, role, accountId);
  }

  @Allow(Role.SYSADMIN)
  @Query(() => [PermissionRule], { description: 'Any account’s effective rules in CASL’s form (SYSADMIN).' })
  effectivePermissions(@Ctx() ctx: Context, @Arg('accountId', () => ID) accountId: string) {
    return permissions.effectiveRulesOf(ctx, accountId);
  }

  @Allow(Role.SYSADMIN)
  @Query(() => [PermissionRule], {
    description:
      'A role’s effective rules in CASL’s form, with $ME, $OWN_UNIT, $OWN_DEPARTMENT, $OWN_KEEPING_UNIT, $OWN_AGENCY standing for each account’s own values; ' +
      'rules narrowed to one unit are not shown (SYSADMIN).',
  })
  rolePermissions(@Ctx() ctx: Context, @Arg('role', () => Role) role: Role) {
    return permissions.effectiveRulesOfRole(ctx, role);
  }

  @Allow(Role.SYSADMIN)
  @Query(() => PermissionChangeConnection, { description: 'The history of permission changes, newest first (SYSADMIN).' })
  permissionHistory(@Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    return permissions.history(ctx, page.first, page.after);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => PermissionGrantType, { description: 'Adds a rule; in force on the next request on every server (SYSADMIN).' })
  addPermissionRule(@Ctx() ctx: Context, @Arg('input', () => AddPermissionRuleInput) input: AddPermissionRuleInput) {
    return permissions.addRule(ctx, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => PermissionGrantType, { description: 'Removes a rule; it stays in the history (SYSADMIN).' })
  removePermissionRule(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return permissions.removeRule(ctx, id, reason);
  }

  @Allow(Role.DIRECTOR, Role.HEAD)
  @Mutation(() => DelegationType, { description: 'Delegates signing (DIRECTOR) or review (HEAD) to a deputy for a range of days (ủy quyền).' })
  delegateAuthority(@Ctx() ctx: Context, @Arg('input', () => DelegateAuthorityInput) input: DelegateAuthorityInput) {
    return permissions.delegate(ctx, input);
  }

  @Allow(Role.DIRECTOR, Role.HEAD, Role.SYSADMIN)
  @Mutation(() => DelegationType, { description: 'Ends a delegation early (the one who delegated, or SYSADMIN).' })
  revokeDelegation(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return permissions.revokeDelegation(ctx, id);
  }

  @Allow('AUTHENTICATED')
  @Query(() => [DelegationType], { description: 'Delegations the viewer gave or received.' })
  delegations(@Ctx() ctx: Context) {
    return permissions.myDelegations(ctx);
  }

  @FieldResolver(() => ID)
  id(@Root() r: PermissionGrant): string {
    return toGlobalId('PermissionRule', r.id);
  }

  @FieldResolver(() => AccountType, { nullable: true })
  account(@Root() r: PermissionGrant, @Ctx() ctx: Context): Promise<Account | null> | null {
    return r.account ? ctx.loaders.account.load(r.account.id) : null;
  }

  @FieldResolver(() => UnitType, { nullable: true, description: 'For a role rule narrowed to one unit: that unit.' })
  unit(@Root() r: PermissionGrant, @Ctx() ctx: Context): Promise<Unit | null> | null {
    return r.unit ? ctx.loaders.unit.load(r.unit.id) : null;
  }

  @FieldResolver(() => AccountType)
  async createdBy(@Root() r: PermissionGrant, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(r.createdBy.id))!;
  }
}

@Resolver(() => PermissionChangeType)
export class PermissionChangeResolver {
  @FieldResolver(() => PermissionGrantType)
  rule(@Root() c: PermissionChange, @Ctx() ctx: Context): Promise<PermissionGrant> {
    return permissionGrantByKey(ctx, c.rule.id);
  }

  @FieldResolver(() => AccountType)
  async actor(@Root() c: PermissionChange, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(c.actor.id))!;
  }
}

@Resolver(() => DelegationType)
export class DelegationResolver {
  @FieldResolver(() => ID)
  id(@Root() d: Delegation): string {
    return toGlobalId('Delegation', d.id);
  }

  @FieldResolver(() => AccountType, { description: 'Who delegated.' })
  async fromAccount(@Root() d: Delegation, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(d.fromAccount.id))!;
  }

  @FieldResolver(() => AccountType, { description: 'The deputy.' })
  async toAccount(@Root() d: Delegation, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(d.toAccount.id))!;
  }
}
