import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Account } from '../../entities';
import type { Context } from '../../src/context';
import { Allow, AllowedDuringPasswordChange } from '../../src/graphql/access';
import * as auth from '../../src/services/auth.service';
import { me, viewerRules } from '../../src/services/viewer.service';
import { AccountType } from '../account/account.type';
import { PermissionRule } from './permission-rule.type';
import { AuthPayload } from './auth.types';

@Resolver()
export class AuthResolver {
  @Allow('AUTHENTICATED')
  @Query(() => AccountType, { description: 'The signed-in account.' })
  me(@Ctx() ctx: Context): Promise<Account> {
    return me(ctx);
  }

  @Allow('AUTHENTICATED')
  @Query(() => [PermissionRule], { description: 'The viewer’s effective permission rules in CASL’s form, for hiding what the viewer cannot do.' })
  myPermissions(@Ctx() ctx: Context): PermissionRule[] {
    return viewerRules(ctx);
  }

  @Allow('PUBLIC')
  @Mutation(() => AuthPayload, { description: 'Signs in (đăng nhập) with the official e-mail address and password.' })
  login(@Ctx() ctx: Context, @Arg('username', () => String) username: string, @Arg('password', () => String) password: string): Promise<AuthPayload> {
    return auth.login(ctx, username, password);
  }

  @Allow('AUTHENTICATED')
  @AllowedDuringPasswordChange()
  @Mutation(() => Boolean, { description: 'Ends the current session; its token stops working at once.' })
  logout(@Ctx() ctx: Context): Promise<boolean> {
    return auth.logout(ctx);
  }

  @Allow('AUTHENTICATED')
  @AllowedDuringPasswordChange()
  @Mutation(() => Boolean, { description: 'Changes the viewer’s password (đổi mật khẩu); other sessions end.' })
  changePassword(
    @Ctx() ctx: Context,
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
  ): Promise<boolean> {
    return auth.changePassword(ctx, currentPassword, newPassword);
  }
}
