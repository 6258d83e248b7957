import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account, Delegation, PermissionChange, PermissionGrant, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import '../signing/signing.types';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as permissions from '../../src/services/permission.service';
import { permissionGrantByKey } from '../../src/repositories/records';
import { AccountType } from '../account/account.type';
import { PermissionRule } from '../auth/permission-rule.type';
import { UnitType } from '../unit/unit.type';
import { PageArgs } from '../common/page.args';
import { PermissionGrantType, PermissionChangeType, DelegationType, PermissionChangeConnection } from './permission.types';
import { AddPermissionRuleInput, DelegateAuthorityInput } from './permission.inputs';

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
