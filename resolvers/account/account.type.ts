import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AccountEndReason, AccountStatus, Role } from '../../src/domain/accounts/account-rules';
import { Position } from '../../src/domain/signing/positions';
import { Node } from '../common/node';
import { Account } from '../../entities';
import { Connection } from '../common/connection';
import { DateTimeScalar, JSONScalar } from '../common/scalars';

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
registerEnumType(Position, {
  name: 'Position',
  description: 'A position (chức vụ): data of the account, distinct from its roles. The capacity in which a person signs follows from it (NĐ 30/2020 Điều 13).',
  valuesConfig: {
    DIRECTOR: { description: 'Giám đốc: the head of the body; signs in their own name (or TM. for a collective body).' },
    ACTING_DIRECTOR: { description: 'Quyền Giám đốc: a deputy given the head’s authority; signs "Q. GIÁM ĐỐC".' },
    DEPUTY_DIRECTOR: { description: 'Phó Giám đốc: signs for the head, "KT. GIÁM ĐỐC".' },
    CHAIR: { description: 'Chủ tịch: the head of a collective body; signs "TM. <body>".' },
    VICE_CHAIR: { description: 'Phó Chủ tịch: signs "TM. <body>" / "KT. CHỦ TỊCH".' },
    OFFICE_CHIEF: { description: 'Chánh Văn phòng: head of the Office; may sign TL. or TUQ. under a delegation.' },
    DEPUTY_OFFICE_CHIEF: { description: 'Phó Chánh Văn phòng.' },
    CHIEF_INSPECTOR: { description: 'Chánh Thanh tra: head of the Inspectorate; may sign TL. or TUQ. under a delegation.' },
    DEPUTY_CHIEF_INSPECTOR: { description: 'Phó Chánh Thanh tra.' },
    HEAD_OF_DEPARTMENT: { description: 'Trưởng phòng: head of a department; may sign TL. or TUQ. under a delegation.' },
    DEPUTY_HEAD_OF_DEPARTMENT: { description: 'Phó Trưởng phòng.' },
    PRINCIPAL_OFFICER: { description: 'Chuyên viên chính.' },
    OFFICER: { description: 'Chuyên viên.' },
    RECORDS_CLERK: { description: 'Văn thư.' },
    SYSTEM_ADMINISTRATOR: { description: 'Quản trị hệ thống.' },
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

  @Field(() => String, { nullable: true, description: 'The title as printed (chức vụ), e.g. "Phó Giám đốc".' })
  position?: string | null;

  @Field(() => Position, { nullable: true, description: 'The position, when the title is one of them; null for a free-text title or none.' })
  positionCode?: Position | null;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => AccountStatus)
  status!: AccountStatus;

  @Field(() => AccountEndReason, { nullable: true })
  endReason?: AccountEndReason | null;

  @Field(() => Boolean, { description: 'True until the person changes the initial password; until then only changePassword and logout work.' })
  mustChangePassword!: boolean;
}

@ObjectType({ description: 'A new account and its one-time initial password, shown this once.' })
export class CreatedAccount {
  @Field(() => AccountType)
  account!: Account;

  @Field(() => String, {
    nullable: true,
    description:
      'Give it to the person; they must change it at first sign-in. Shown once: null when a retry with the same idempotency key returns the account again.',
  })
  initialPassword!: string | null;
}

@ObjectType('AccountEvent', { description: 'One entry of an account’s history (lịch sử tài khoản): what was done or attempted, by whom, when and why.' })
export class AccountEventType {
  @Field(() => ID) id!: string;

  @Field(() => String, {
    description:
      'CREATED, UPDATED, TRANSFERRED, DISABLED, HANDED_OVER (its open assignments, on disabling), ENABLED, PASSWORD_RESET, PASSWORD_CHANGED, or GRANT_REFUSED: a refused attempt to change the account’s roles or rights, kept although nothing changed.',
  })
  type!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'What changed or was attempted (for GRANT_REFUSED: the operation and the roles or rule asked for).' })
  detail?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Why: the reason given, or for GRANT_REFUSED the refusal.' })
  reason?: string | null;

  @Field(() => DateTimeScalar) at!: Date;
}

export const AccountConnection = Connection(AccountType, 'Account');
export const AccountEventConnection = Connection(AccountEventType, 'AccountEvent');
