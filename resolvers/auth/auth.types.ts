import { Field, ObjectType } from 'type-graphql';
import { Account } from '../../entities';
import { AccountType } from '../account/account.type';

@ObjectType({ description: 'A signed-in session (phiên đăng nhập): the bearer token and the account.' })
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => AccountType)
  account!: Account;
}
