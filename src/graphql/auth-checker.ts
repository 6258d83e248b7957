import type { AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import type { Role } from '../domain/accounts/account-rules';
import { AppError, ErrorCode } from '../errors';
import type { AccessExtensions } from './access';

/**
 * The first gate of every declared operation: signed in, initial password changed (except for the
 * few operations allowed before), and holding one of the roles when roles are named.
 */
export const authChecker: AuthChecker<Context, Role | 'AUTHENTICATED'> = ({ context, info }, roles) => {
  if (!context.viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, context.authProblem);
  const ext = info.parentType.getFields()[info.fieldName]?.extensions as Partial<AccessExtensions> | undefined;
  if (context.mustChangePassword && !ext?.duringPasswordChange) throw new AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED);
  if (roles.length === 0) return true;
  if (roles.some((r) => context.viewer!.roles.includes(r as Role))) return true;
  if (ext?.delegable?.some((right) => context.viewer!.delegations?.some((d) => d.right === right))) return true;
  throw new AppError(ErrorCode.FORBIDDEN);
};
