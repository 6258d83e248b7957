import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AccountEndReason, AccountStatus, Role } from '../../src/domain/accounts/account-rules';
import { Node } from '../common/node';

registerEnumType(Role, {
  name: 'Role',
  description: 'A role (vai trò) an account holds; an account may hold several.',
  valuesConfig: {
    DIRECTOR: { description: 'Lãnh đạo: directs incoming documents, signs outgoing ones, oversees.' },
    CLERK: { description: 'Văn thư: receives, registers, submits, numbers and issues documents.' },
    HEAD: { description: 'Trưởng/Phó phòng: assigns within the department, reviews drafts.' },
    STAFF: { description: 'CCVC&NLĐ: processes what is assigned, drafts replies.' },
    SYSADMIN: { description: 'Quản trị hệ thống: manages accounts and permissions; reads no document content.' },
  },
});
registerEnumType(AccountStatus, { name: 'AccountStatus', description: 'Whether an account (tài khoản) may sign in.' });
registerEnumType(AccountEndReason, {
  name: 'AccountEndReason',
  description: 'Why an account was disabled (lý do khóa tài khoản).',
  valuesConfig: {
    RETIREMENT: { description: 'Nghỉ hưu.' },
    RESIGNATION: { description: 'Thôi việc.' },
    TRANSFER_OUT: { description: 'Chuyển công tác ra ngoài cơ quan.' },
    OTHER: { description: 'Lý do khác.' },
  },
});

@ObjectType('Account', { implements: Node, description: 'An account (tài khoản): one per person, named by the official e-mail address.' })
export class AccountType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String)
  username!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => String, { nullable: true })
  position?: string | null;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => AccountStatus)
  status!: AccountStatus;

  @Field(() => AccountEndReason, { nullable: true })
  endReason?: AccountEndReason | null;

  @Field(() => Boolean, { description: 'True until the person changes the initial password; until then only changePassword and logout work.' })
  mustChangePassword!: boolean;
}
