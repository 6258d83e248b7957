import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account, AccountEvent, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { AccountEndReason, Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as accounts from '../../src/services/account.service';
import { canReadField } from '../../src/services/field-access';
import { prepared } from '../../src/read/compiled';
import { openAssignmentCount } from '../../src/services/account-fields';
import { DateTimeScalar } from '../common/scalars';
import { PageArgs } from '../common/page.args';
import { UnitType } from '../unit/unit.type';
import { AccountFilter, CreateAccountInput, UpdateAccountInput } from './account.input';
import { AccountType, AccountConnection, AccountEventConnection } from './account.type';
import { CreatedAccount, AccountEventType } from './account.type';

const HAND_OVER_TO = 'Required when the account holds open assignments: an active account of the same unit that takes them over (bàn giao).';

@Resolver(() => AccountEventType)
export class AccountEventResolver {
  @FieldResolver(() => AccountType, { nullable: true, description: 'Who did or attempted it; null when the system did (at boot).' })
  async actor(@Root() e: AccountEvent, @Ctx() ctx: Context): Promise<Account | null> {
    return e.actor ? ((await ctx.loaders.account.load(e.actor.id)) ?? null) : null;
  }
}

@Resolver(() => AccountType)
export class AccountResolver {
  @Allow(Role.SYSADMIN)
  @Query(() => AccountEventConnection, { description: 'The history of one account, newest first, refused attempts to change its rights included (SYSADMIN).' })
  accountHistory(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Args(() => PageArgs) page: PageArgs) {
    return accounts.accountHistory(ctx, id, page.first, page.after);
  }

  @Allow('AUTHENTICATED')
  @Query(() => AccountConnection, { description: 'The account directory.' })
  accounts(@Ctx() ctx: Context, @Arg('filter', () => AccountFilter, { nullable: true }) filter: AccountFilter | null, @Args(() => PageArgs) page: PageArgs) {
    return accounts.listAccounts(ctx, filter, page.first, page.after);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => CreatedAccount, { description: 'Creates an account with a one-time initial password (SYSADMIN).' })
  createAccount(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateAccountInput) input: CreateAccountInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return accounts.createAccountOnce(ctx, input, idempotencyKey);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => AccountType, { description: 'Changes name, position or roles (SYSADMIN).' })
  updateAccount(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateAccountInput) input: UpdateAccountInput) {
    return accounts.updateAccount(ctx, id, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => AccountType, {
    description:
      'Moves an account to another unit (điều chuyển); the history keeps where it was. ' +
      'Open assignments are handed over to handOverTo, else OPEN_ASSIGNMENTS (SYSADMIN).',
  })
  transferAccount(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('unitId', () => ID) unitId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('handOverTo', () => ID, { nullable: true, description: HAND_OVER_TO }) handOverTo: string | null,
  ) {
    return accounts.transferAccount(ctx, id, unitId, reason, handOverTo);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => AccountType, {
    description:
      'Disables an account (khóa): never deleted; its sessions end at once. ' +
      'Open assignments are handed over to handOverTo, else OPEN_ASSIGNMENTS (SYSADMIN).',
  })
  disableAccount(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => AccountEndReason) reason: AccountEndReason,
    @Arg('handOverTo', () => ID, { nullable: true, description: HAND_OVER_TO }) handOverTo: string | null,
  ) {
    return accounts.disableAccount(ctx, id, reason, handOverTo);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => AccountType, { description: 'Gives a disabled account its access back (SYSADMIN).' })
  enableAccount(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return accounts.enableAccount(ctx, id);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => String, { description: 'Sets a new one-time initial password and ends the account’s sessions (SYSADMIN).' })
  resetPassword(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return accounts.resetPassword(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() account: Account): string {
    return toGlobalId('Account', account.id);
  }

  @FieldResolver(() => UnitType)
  async unit(@Root() account: Account, @Ctx() ctx: Context): Promise<Unit> {
    return prepared<Unit>(account, 'unit') ?? (await ctx.loaders.unit.load(account.unit.id))!;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: 'When the person last used the system. Sensitive: null for readers who may not see it (the person, SYSADMIN, their director or head).',
  })
  lastSeenAt(@Root() account: Account, @Ctx() ctx: Context): Date | null {
    return canReadField(ctx, 'Account', { id: account.id, unit: account.unit.id }, 'lastSeenAt') ? (account.lastSeenAt ?? null) : null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'How many open assignments the account holds in its own name (to hand over before disabling or transferring it); a count, never the documents. ' +
      'Null for viewers who may not disable the account.',
  })
  openAssignmentCount(@Root() account: Account, @Ctx() ctx: Context): Promise<number> | null {
    return openAssignmentCount(ctx, account.id);
  }
}
