import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Document, WorkScheduleEntry } from '../../entities';
import { ChangeKind, LinkKind, ScheduleEventKind, ScheduleState } from '../../src/domain/schedule/schedule-rules';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { Node } from '../common/node';
import { DocumentInterface } from '../documents/document.types';

registerEnumType(ScheduleState, {
  name: 'WorkScheduleState',
  description: 'Where a version of a weekly work schedule stands.',
  valuesConfig: {
    DRAFT: { description: 'Being drafted by the Office.' },
    SUBMITTED: { description: 'Sent to the director for approval.' },
    RETURNED: { description: 'Sent back by the director with the reason; the Office edits and submits it again.' },
    PUBLISHED: { description: 'Approved by the director and in force: seen by the whole keeping unit and by every participant.' },
    SUPERSEDED: { description: 'Was in force until a later version was published.' },
  },
});

registerEnumType(ScheduleEventKind, {
  name: 'WorkScheduleEventKind',
  description: 'A step of a weekly work schedule, as `workScheduleChanged` delivers it.',
  valuesConfig: {
    SUBMITTED: { description: 'A version was sent to the director (seen by the Office and the director).' },
    RETURNED: { description: 'The director sent a version back with the reason (seen by the Office and the director).' },
    PUBLISHED: { description: 'The first version was approved and published.' },
    REVISED: { description: 'A later version was approved and published, replacing the one in force; its `changes` say what changed.' },
  },
});

registerEnumType(LinkKind, {
  name: 'WorkScheduleLinkKind',
  description: 'Why a document is linked to an entry.',
  valuesConfig: {
    INVITATION: { description: 'Giấy mời: the invitation.' },
    MEETING_MATERIAL: { description: 'Tài liệu họp: meeting material.' },
    OTHER: { description: 'Another related document.' },
  },
});

registerEnumType(ChangeKind, {
  name: 'WorkScheduleChangeKind',
  description: 'How an entry changed from the previous published version.',
  valuesConfig: {
    ADDED: { description: 'A new entry.' },
    REMOVED: { description: 'An entry taken out (cancelled).' },
    CHANGED: { description: 'An entry whose `fields` changed.' },
  },
});

@ObjectType('WorkScheduleDocumentLink', { description: 'A document linked to an entry of the schedule.' })
export class WorkScheduleDocumentLinkType {
  @Field(() => LinkKind)
  kind!: LinkKind;

  @Field(() => DocumentInterface, { nullable: true, description: 'The document, or null when the viewer may not read it (nothing of it is shown then).' })
  document!: Document | null;
}

@ObjectType('WorkScheduleChange', { description: 'One change of a published revision against the version it replaced.' })
export class WorkScheduleChangeType {
  @Field(() => ChangeKind)
  kind!: ChangeKind;

  @Field(() => [String], { description: 'For CHANGED: which of date, startTime, endTime, place, chair, content, participants, documents changed.' })
  fields!: string[];

  // `entry` and `previousEntry` are resolved in schedule-fields.resolver.ts.
  entry!: WorkScheduleEntry | null;
  previousEntry!: WorkScheduleEntry | null;
  previousVisible!: boolean;
}

@InputType('WorkScheduleDocumentInput', { description: 'A document to link to an entry: one the drafter may read.' })
export class WorkScheduleDocumentInput {
  @Field(() => ID)
  documentId!: string;

  @Field(() => LinkKind, { nullable: true, description: 'OTHER by default.' })
  kind?: LinkKind | null;
}

@InputType('WorkScheduleEntryInput', { description: 'One entry of the schedule.' })
export class WorkScheduleEntryInput {
  @Field(() => ID, {
    nullable: true,
    description: 'An entry of the version being edited, to keep it (and its place in the change list); omit for a new entry.',
  })
  id?: string | null;

  @Field(() => DateScalar, { description: 'A day of the schedule’s week.' })
  date!: string;

  @Field(() => String, { description: 'HH:MM, 24 hours.' })
  startTime!: string;

  @Field(() => String, { nullable: true, description: 'HH:MM, later than startTime.' })
  endTime?: string | null;

  @Field(() => String, { description: 'Địa điểm, at most 200 characters.' })
  place!: string;

  @Field(() => ID, { nullable: true, description: 'Who chairs (chủ trì): an active account of the agency.' })
  chairId?: string | null;

  @Field(() => String, { description: 'Nội dung, at most 2,000 characters.' })
  content!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Participating units (thành phần) of the agency: every member of a unit (of a keeping unit, with its departments) takes part.',
  })
  @ArrayMaxSize(100)
  participantUnitIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Participating accounts of the agency.' })
  @ArrayMaxSize(100)
  participantAccountIds?: string[] | null;

  @Field(() => [WorkScheduleDocumentInput], { nullable: true, description: 'Invitations and meeting materials, at most 20.' })
  @ArrayMaxSize(20)
  documents?: WorkScheduleDocumentInput[] | null;
}

@ObjectType('WorkSchedule', {
  implements: Node,
  description: 'The weekly work schedule (lịch công tác tuần) of a keeping unit for one ISO week: the version in force and the one being prepared.',
})
export class WorkScheduleType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { description: 'The ISO week, e.g. 2026-W49.' })
  week!: string;

  @Field(() => DateScalar, { description: 'Its Monday.' })
  weekStart!: string;
}

@ObjectType('WorkScheduleVersion', { implements: Node, description: 'One version of a weekly work schedule, with its entries in date and time order.' })
export class WorkScheduleVersionType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => Int, { description: 'Version number: 1 for the first, then one more for each revision.' })
  number!: number;

  @Field(() => ScheduleState)
  state!: ScheduleState;

  @Field(() => String, { nullable: true, description: 'Why this revision was made (for versions after the first).' })
  revisionNote?: string | null;

  @Field(() => String, { nullable: true, description: 'The director’s reason when it was last returned for changes.' })
  returnReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  submittedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was approved and published.' })
  publishedAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'The version it replaced when published: `changes` compares with it.' })
  previousNumber?: number | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType('WorkScheduleEntry', {
  implements: Node,
  description: 'One entry of the schedule: when, where, who chairs, who takes part, what, and the documents it needs.',
})
export class WorkScheduleEntryType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => DateScalar)
  date!: string;

  @Field(() => String, { description: 'HH:MM.' })
  startTime!: string;

  @Field(() => String, { nullable: true, description: 'HH:MM.' })
  endTime?: string | null;

  @Field(() => String, { description: 'Địa điểm.' })
  place!: string;

  @Field(() => String, { description: 'Nội dung.' })
  content!: string;
}

@ObjectType('WorkScheduleEvent', { description: 'A step of a weekly work schedule, delivered by `workScheduleChanged`.' })
export class WorkScheduleEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => ScheduleEventKind)
  type!: ScheduleEventKind;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String, { nullable: true, description: 'The return reason (RETURNED) or the revision note (REVISED).' })
  note?: string | null;
}
