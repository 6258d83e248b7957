import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'Who takes an assignment over: exactly one of unitId (a department) and accountId (a person).' })
export class NewAssigneeInput {
  @Field(() => ID, { nullable: true, description: 'A department of the keeping unit (the director’s assignments only).' })
  unitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A person of the keeping unit, or of the department for what a head passed on.' })
  accountId?: string | null;
}

@InputType({ description: 'A change to an unfinished assignment: give the reason and at least one of deadline, instruction, assignee.' })
export class ChangeAssignmentInput {
  @Field(() => String, { description: 'Why it changes (lý do); shown to the assignee.' })
  @MaxLength(1000)
  reason!: string;

  @Field(() => DateScalar, { nullable: true, description: 'New deadline: not in the past, no later than the one received for what a head passed on.' })
  deadline?: string | null;

  @Field(() => String, { nullable: true, description: 'New instruction (ý kiến chỉ đạo).' })
  @MaxLength(2000)
  instruction?: string | null;

  @Field(() => NewAssigneeInput, {
    nullable: true,
    description: 'Give it to someone else: the current holder’s assignment is withdrawn and a new one is made.',
  })
  assignee?: NewAssigneeInput | null;
}
