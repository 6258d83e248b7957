import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Confidentiality, Direction, ArrivalChannel, Urgency, METADATA_LIMITS } from '../../src/domain/documents/document-enums';
import { DocumentState } from './document.types';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'An incoming document as received: its metadata and the ids of its uploaded files.' })
export class ReceiveDocumentInput {
  @Field(() => String, { description: 'DocumentType.code: the abbreviation (QĐ, TB, GM, BC…) or CV for Công văn.' })
  @MaxLength(10)
  documentTypeCode!: string;

  @Field(() => String, { nullable: true, description: 'As printed: "131".' })
  @MaxLength(METADATA_LIMITS.number)
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'As printed: "QĐ-UBND".' })
  @MaxLength(METADATA_LIMITS.symbol)
  symbol?: string | null;

  @Field(() => DateScalar)
  issuedDate!: string;

  @Field(() => String, { description: 'The issuing body, as printed.' })
  @MaxLength(METADATA_LIMITS.issuer)
  issuer!: string;

  @Field(() => ID, { nullable: true, description: 'A Correspondent or a Unit.' })
  senderId?: string | null;

  @Field(() => String, { description: 'Trích yếu nội dung.' })
  @MaxLength(METADATA_LIMITS.subject)
  subject!: string;

  @Field(() => Int, { nullable: true })
  pageCount?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.signerName)
  signerName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.signerPosition)
  signerPosition?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.note)
  note?: string | null;

  @Field(() => Urgency, { defaultValue: Urgency.NORMAL })
  urgency!: Urgency;

  @Field(() => Confidentiality, { defaultValue: Confidentiality.NORMAL, description: 'Anything but NORMAL is refused (Điều 3.2).' })
  confidentiality!: Confidentiality;

  @Field(() => DateScalar, { nullable: true, description: 'Thời hạn giải quyết the sender asks for.' })
  dueDate?: string | null;

  @Field(() => [ID], { description: 'Ids of files uploaded with POST /files.' })
  @ArrayMaxSize(50)
  attachmentIds!: string[];

  @Field(() => Boolean, { defaultValue: false, description: 'Receive and register in one step.' })
  registerNow!: boolean;

  @Field(() => ArrivalChannel, { nullable: true, description: 'PAPER by default; INTERNAL when the sender is a unit.' })
  arrivalChannel?: ArrivalChannel | null;
}

@InputType({ description: 'One assignee: exactly one of unitId (a department) and accountId (a person).' })
export class AssigneeInput {
  @Field(() => ID, { nullable: true })
  unitId?: string | null;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Required for lead and cooperating assignees.' })
  deadline?: string | null;
}

@InputType({ description: 'The director’s direction (phân công).' })
export class AssignDocumentInput {
  @Field(() => String, { description: 'Ý kiến chỉ đạo.' })
  @MaxLength(2000)
  instruction!: string;

  @Field(() => AssigneeInput, {
    nullable: true,
    description:
      'Chủ trì: exactly one — or none for a document sent for information only (để biết), ' + 'which then names informed assignees and no cooperating ones.',
  })
  lead?: AssigneeInput | null;

  @Field(() => [AssigneeInput], { nullable: true, description: 'Phối hợp.' })
  @ArrayMaxSize(50)
  cooperating?: AssigneeInput[] | null;

  @Field(() => [AssigneeInput], { nullable: true, description: 'Để biết.' })
  @ArrayMaxSize(50)
  informed?: AssigneeInput[] | null;
}

@InputType({ description: 'A head passes the department’s assignment to a staff member.' })
export class DelegateInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'No later than the deadline received.' })
  deadline?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  instruction?: string | null;
}

@InputType({ description: 'The result of an assignment.' })
export class CompleteAssignmentInput {
  @Field(() => String)
  @MaxLength(2000)
  result!: string;

  @Field(() => ID, { nullable: true, description: 'The reply document, when there is one.' })
  replyDocumentId?: string | null;
}

@InputType({ description: 'Narrows a document list. All conditions apply together.' })
export class DocumentFilter {
  @Field(() => Direction, { nullable: true })
  direction?: Direction | null;

  @Field(() => [DocumentState], { nullable: true })
  @ArrayMaxSize(20)
  states?: DocumentState[] | null;

  @Field(() => String, { nullable: true, description: 'Part of the subject, number, symbol, issuer or note.' })
  @MaxLength(200)
  text?: string | null;

  @Field(() => [Urgency], { nullable: true })
  @ArrayMaxSize(4)
  urgency?: Urgency[] | null;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or after this office day.' })
  receivedFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Received on or before this office day.' })
  receivedTo?: string | null;

  @Field(() => ID, { nullable: true, description: 'A Correspondent or a Unit.' })
  senderId?: string | null;

  @Field(() => ID, { nullable: true })
  keepingUnitId?: string | null;

  @Field(() => Int, { nullable: true })
  registerYear?: number | null;
}

@InputType({ description: 'A draft (dự thảo): its metadata, recipients and file. Each revision sends the whole draft again.' })
export class DraftInput {
  @Field(() => String, { description: 'DocumentType.code: QĐ, TB, BC… or CV for Công văn.' })
  @MaxLength(10)
  documentTypeCode!: string;

  @Field(() => String, { description: 'Trích yếu nội dung.' })
  @MaxLength(METADATA_LIMITS.subject)
  subject!: string;

  @Field(() => Urgency, { defaultValue: Urgency.NORMAL })
  urgency!: Urgency;

  @Field(() => Confidentiality, { defaultValue: Confidentiality.NORMAL, description: 'Anything but NORMAL is refused (Điều 3.2).' })
  confidentiality!: Confidentiality;

  @Field(() => [ID], { nullable: true, description: 'Units of this system: the agency or its subordinate units (Điều 9.2).' })
  @ArrayMaxSize(100)
  recipientUnitIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Outside organisations.' })
  @ArrayMaxSize(100)
  recipientCorrespondentIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Chức vụ người ký.' })
  @MaxLength(METADATA_LIMITS.signerPosition)
  signerPosition?: string | null;

  @Field(() => Int, { nullable: true })
  pageCount?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.note)
  note?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Reply due date asked of the recipients.' })
  dueDate?: string | null;

  @Field(() => ID, { description: 'The draft file, uploaded with POST /files.' })
  fileId!: string;
}

@InputType({ description: 'What the clerk adds when issuing (phát hành).' })
export class IssueInput {
  @Field(() => ID, { description: 'The signed scan, uploaded with POST /files.' })
  signedFileId!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Today by default; a day of this year, no later than today.' })
  issuedDate?: string | null;
}
