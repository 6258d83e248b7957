import { Field, ID, Int, InterfaceType, ObjectType, registerEnumType, createUnionType } from 'type-graphql';
import { Correspondent, IncomingDocument, OutgoingDocument, Unit } from '../../entities';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import { OutgoingState } from '../../src/domain/outgoing/workflow';
import { Confidentiality, Direction, ArrivalChannel, DocumentState, RoutingEventKind, Urgency } from '../../src/domain/documents/document-enums';
import { AssignmentRole, AssignmentState, IncomingState } from '../../src/domain/incoming/routing';
import { DocumentOrder, InboxView } from '../../src/services/document-query.service';
import { isCompiled } from '../../src/read/compiled';
import { Connection } from '../common/connection';
import { Node } from '../common/node';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { CorrespondentType } from '../reference/reference.types';
import { UnitType } from '../unit/unit.type';

registerEnumType(Urgency, {
  name: 'Urgency',
  description: 'Urgency (độ khẩn).',
  valuesConfig: {
    NORMAL: { description: 'Thường.' },
    URGENT: { description: 'Khẩn.' },
    VERY_URGENT: { description: 'Thượng khẩn.' },
    FLASH: { description: 'Hỏa tốc.' },
  },
});
registerEnumType(Confidentiality, {
  name: 'Confidentiality',
  description: 'Confidentiality (độ mật). Inputs only: anything but NORMAL is refused (Điều 3.2).',
  valuesConfig: {
    NORMAL: { description: 'Not classified.' },
    SECRET: { description: 'Mật.' },
    TOP_SECRET: { description: 'Tối mật.' },
    ABSOLUTE_SECRET: { description: 'Tuyệt mật.' },
  },
});
registerEnumType(Direction, { name: 'Direction', description: 'Incoming (văn bản đến) or outgoing (văn bản đi).' });
registerEnumType(ArrivalChannel, {
  name: 'ArrivalChannel',
  description: 'How an incoming document arrived (nguồn văn bản đến).',
  valuesConfig: {
    PAPER: { description: 'A paper original the clerk digitised.' },
    ELECTRONIC: { description: 'Online from another agency.' },
    INTERNAL: { description: 'Issued by a unit of this system.' },
  },
});
registerEnumType(IncomingState, {
  name: 'IncomingState',
  description: 'State of an incoming document (trạng thái văn bản đến).',
  valuesConfig: {
    RECEIVED: { description: 'Received, not yet registered (chưa vào sổ).' },
    REJECTED: { description: 'Refused back to the sender with a reason (từ chối).' },
    REGISTERED: { description: 'Registered with an arrival number (đã vào sổ).' },
    SUBMITTED: { description: 'Submitted to the director, awaiting direction (trình lãnh đạo).' },
    ASSIGNED: { description: 'Assigned (đã phân công).' },
    IN_PROGRESS: { description: 'Being processed (đang xử lý).' },
    COMPLETED: { description: 'Completed by the lead (hoàn thành).' },
    RECALLED: { description: 'Recalled by its sender (thu hồi).' },
    ANNULLED: { description: 'A registration made in error, annulled by the clerk (hủy đăng ký): the arrival number stays used and shows annulled.' },
  },
});
registerEnumType(AssignmentRole, {
  name: 'AssignmentRole',
  description: 'Role in an assignment (vai trò phân công).',
  valuesConfig: { LEAD: { description: 'Chủ trì.' }, COOPERATE: { description: 'Phối hợp.' }, INFORM: { description: 'Để biết.' } },
});
registerEnumType(AssignmentState, {
  name: 'AssignmentState',
  description: 'State of an assignment.',
  valuesConfig: {
    PENDING: { description: 'Not started (chưa xử lý).' },
    IN_PROGRESS: { description: 'In progress (đang xử lý).' },
    COMPLETED: { description: 'Completed (hoàn thành).' },
    RETURNED: { description: 'Returned to whoever assigned it (trả lại).' },
    WITHDRAWN: { description: 'Withdrawn by the director or the head who passed it on, with the reason (thu hồi): no longer the assignee’s.' },
  },
});
registerEnumType(InboxView, {
  name: 'InboxView',
  description: 'A view of the viewer’s work (hộp công việc).',
  valuesConfig: {
    TO_REGISTER: { description: 'Clerk: received, waiting to be registered (chờ vào sổ).' },
    TO_SUBMIT: { description: 'Clerk: registered, waiting to be submitted to the director (chờ trình).' },
    AWAITING_DIRECTION: { description: 'Director: submitted, waiting for direction (chờ chỉ đạo).' },
    TO_PROCESS: { description: 'Assigned to me (or my department) as lead or cooperating, not finished (cần xử lý).' },
    DUE_SOON: { description: 'To process, due within 2 working days (sắp đến hạn).' },
    OVERDUE: { description: 'To process, past the deadline (quá hạn).' },
    RETURNED: { description: 'Assignments I made that were returned to me (bị trả lại).' },
    FOR_INFORMATION: { description: 'Sent to me (or my department) for information (để biết), not marked read yet.' },
    DRAFTS: { description: 'My drafts (dự thảo) — outgoing documents.' },
    TO_REVIEW: { description: 'Drafts for me to review (chờ duyệt) — outgoing documents.' },
    TO_SIGN: { description: 'Drafts for me to sign (chờ ký) — outgoing documents.' },
    TO_ISSUE: { description: 'Signed documents to issue (chờ phát hành) — outgoing documents.' },
  },
});
registerEnumType(DocumentOrder, { name: 'DocumentOrder', description: 'Order of a document list.' });

export const SenderUnion = createUnionType({
  name: 'Sender',
  description: 'Who sent an incoming document: an outside organisation (cơ quan gửi) or a unit of this system.',
  types: () => [CorrespondentType, UnitType] as const,
  resolveType: (value) => (isCompiled(value) ? value.__kind : value instanceof Correspondent ? 'Correspondent' : value instanceof Unit ? 'Unit' : undefined),
});

export function documentTypeName(value: unknown): string | undefined {
  if (isCompiled(value)) return value.__kind;
  if (value instanceof IncomingDocument) return 'IncomingDocument';
  if (value instanceof OutgoingDocument) return 'OutgoingDocument';
  return undefined;
}

registerEnumType(OutgoingState, {
  name: 'OutgoingState',
  description: 'State of an outgoing document (trạng thái văn bản đi).',
  valuesConfig: {
    DRAFT: { description: 'Being drafted (dự thảo).' },
    IN_REVIEW: { description: 'With the head of the drafting department for review (chờ duyệt).' },
    AWAITING_SIGNATURE: { description: 'Approved, with the director for signature (chờ ký).' },
    SIGNED: { description: 'Signed on the system, with the clerk for issue (đã ký).' },
    NUMBERED: { description: 'Numbered and dated by the clerk, waiting for the stamped scan or digital file to issue (đã cấp số).' },
    ISSUED: { description: 'Numbered, registered and sent (đã phát hành).' },
    RECALLED: { description: 'Recalled after issue (thu hồi).' },
    ANNULLED: { description: 'Its register entry annulled with a reason (hủy số): the number stays used, never given again.' },
  },
});
registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  description: 'Where a recipient’s copy stands.',
  valuesConfig: {
    PENDING: { description: 'Not issued yet.' },
    DELIVERED: { description: 'Delivered inside the system to the recipient’s clerk.' },
    AWAITING_EXCHANGE: {
      description: 'An outside organisation the exchange cannot reach (no endpoint or secret): the clerk sends the .edxml file by other means.',
    },
    QUEUED: { description: 'A peer of the exchange: the package is in the outbox, not tried yet.' },
    SENT: { description: 'Handed to the peer, waiting for its answer.' },
    FAILED: { description: 'The last attempt failed (deliveryError says why); it is tried again with backoff.' },
    ACKNOWLEDGED: { description: 'The peer took the package.' },
    REFUSED: { description: 'The peer refused the package for good (deliveryError says why).' },
  },
});

export { DocumentState, RoutingEventKind };
registerEnumType(DocumentState, {
  name: 'DocumentState',
  description:
    'A state of a document of either direction (IncomingState ∪ OutgoingState, the same names): in document filters and in the `fromState`/`toState` of routing events.',
  valuesConfig: {
    RECEIVED: { description: 'Incoming: received, not yet registered (chưa vào sổ).' },
    REJECTED: { description: 'Incoming: refused back to the sender with a reason (từ chối).' },
    REGISTERED: { description: 'Incoming: registered with an arrival number (đã vào sổ).' },
    SUBMITTED: { description: 'Incoming: submitted to the director, awaiting direction (trình lãnh đạo).' },
    ASSIGNED: { description: 'Incoming: assigned (đã phân công).' },
    IN_PROGRESS: { description: 'Incoming: being processed (đang xử lý).' },
    COMPLETED: { description: 'Incoming: completed by the lead (hoàn thành).' },
    DRAFT: { description: 'Outgoing: being drafted (dự thảo).' },
    IN_REVIEW: { description: 'Outgoing: with the head of the drafting department for review (chờ duyệt).' },
    AWAITING_SIGNATURE: { description: 'Outgoing: approved, with the director for signature (chờ ký).' },
    SIGNED: { description: 'Outgoing: signed on the system, with the clerk for issue (đã ký).' },
    NUMBERED: { description: 'Outgoing: numbered and dated, waiting for the final file to issue (đã cấp số).' },
    ISSUED: { description: 'Outgoing: numbered, registered and sent (đã phát hành).' },
    RECALLED: { description: 'Either: recalled by its sender after issue (thu hồi).' },
    ANNULLED: { description: 'Either: its register entry annulled with a reason (incoming: hủy đăng ký; outgoing: hủy số); the number stays used.' },
  },
});
registerEnumType(RoutingEventKind, {
  name: 'RoutingEventType',
  description: 'What a routing event records (loại sự kiện luân chuyển).',
  valuesConfig: {
    RECEIVED: { description: 'Incoming: received by the clerk (by hand, from a unit of this system or from a peer); toState RECEIVED.' },
    REJECTED: { description: 'Incoming: refused back to the sender with a reason (from RECEIVED to REJECTED).' },
    REGISTERED: { description: 'Incoming: registered with an arrival number (note: "Số đến …").' },
    SUBMITTED: { description: 'Incoming: submitted to the director for direction.' },
    ASSIGNED: { description: 'Incoming: the director assigned it (note: the instruction and the lead).' },
    DELEGATED: { description: 'Incoming: a head passed an assignment on to a person of the department.' },
    STARTED: { description: 'Incoming: an assignee started work on an assignment.' },
    PROGRESS: { description: 'Incoming: an assignee recorded progress (note: what was done).' },
    COMPLETED: { description: 'Incoming: an assignment was completed (the document is COMPLETED when the lead’s is).' },
    CORRECTED: { description: 'Incoming: the clerk corrected the metadata (note: each field before → after, and the reason); the state does not change.' },
    RETURNED: { description: 'An incoming assignment returned to whoever assigned it, or an outgoing draft returned to its author (note: the reason).' },
    READ: { description: 'Incoming: an informed reader (để biết) marked the document read; the last reader completes a document sent for information only.' },
    ASSIGNMENT_WITHDRAWN: { description: 'Incoming: an unfinished assignment was withdrawn (note: who held it and the reason); its holder is told live.' },
    ASSIGNMENT_CHANGED: { description: 'Incoming: the deadline or instruction of an unfinished assignment changed (note: what and why).' },
    REASSIGNED: { description: 'Incoming: an unfinished assignment was given to someone else (note: from whom, to whom, why).' },
    HANDED_OVER: { description: 'Incoming: an open assignment moved to another account of the unit when its holder was disabled or transferred (bàn giao).' },
    DRAFTED: { description: 'Outgoing: the draft was created (version 1).' },
    REVISED: { description: 'Outgoing: a new version of the draft (note: "Phiên bản n").' },
    SUBMITTED_FOR_REVIEW: { description: 'Outgoing: the draft went to the head for review.' },
    APPROVED: { description: 'Outgoing: the head approved; the draft awaits signature.' },
    SIGNED: { description: 'Outgoing: signed (note: the lines above the signature, then the signer).' },
    NUMBERED: { description: 'Outgoing: the clerk took the number before issue (note: number/symbol).' },
    ISSUED: { description: 'Outgoing: numbered, registered and sent (note: number/symbol).' },
    ANNULLED: {
      description:
        'Either: a register entry annulled with the reason in the note (incoming: a registration made in error; outgoing: number/symbol, an issued one recalled first).',
    },
    RECALLED: { description: 'Either direction: an issued document recalled, or a received copy recalled by its sender.' },
    EXCHANGE_STATUS: { description: 'Outgoing: a peer reported a status (01–06, 15, 16) for its copy; the state does not change.' },
    EXCHANGE_DELIVERED: { description: 'Outgoing: a peer acknowledged the package.' },
    EXCHANGE_FAILED: { description: 'Outgoing: delivery to a peer failed (it is retried) or a recall could not be sent.' },
    EXCHANGE_REFUSED: { description: 'Outgoing: a peer refused the package for good.' },
  },
});

@ObjectType('Attachment', { implements: Node, description: 'A file attached to a document (tệp đính kèm). Download it from `url` with the same bearer token.' })
export class AttachmentType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  mimeType!: string;

  @Field(() => Int)
  size!: number;

  @Field(() => String)
  sha256!: string;

  @Field(() => String, { description: 'Path of the download, relative to the server: /files/{id}.' })
  url!: string;
}

@ObjectType('RoutingEvent', {
  implements: Node,
  description: 'A routing event (sự kiện luân chuyển): who did what to a document, when, from which state to which.',
})
export class RoutingEventType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { description: 'Position of the event, for resuming a history or a subscription after it.' })
  cursor!: string;

  @Field(() => RoutingEventKind, { description: 'What happened.' })
  type!: RoutingEventKind;

  @Field(() => DocumentState, { nullable: true, description: 'The document’s state before the event (null for the first event of a document).' })
  fromState?: DocumentState | null;

  @Field(() => DocumentState, { nullable: true, description: 'The document’s state after the event (the same as fromState when the state did not change).' })
  toState?: DocumentState | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}

export const RoutingEventConnection = Connection(RoutingEventType, 'RoutingEvent');

@InterfaceType('Document', { implements: Node, description: 'A document (văn bản), incoming or outgoing.', resolveType: documentTypeName })
export abstract class DocumentInterface extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { nullable: true, description: 'Số, as printed ("131", "05").' })
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'Ký hiệu, as printed ("QĐ-SXD").' })
  symbol?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Ngày ban hành.' })
  issuedDate?: string | null;

  @Field(() => String, { description: 'Cơ quan ban hành, as printed.' })
  issuer!: string;

  @Field(() => String, { description: 'Trích yếu nội dung.' })
  subject!: string;

  @Field(() => String)
  language!: string;

  @Field(() => Int, { nullable: true })
  pageCount?: number | null;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => String, { nullable: true })
  signerName?: string | null;

  @Field(() => String, { nullable: true })
  signerPosition?: string | null;

  @Field(() => Urgency)
  urgency!: Urgency;

  @Field(() => DateScalar, { nullable: true, description: 'Thời hạn giải quyết.' })
  dueDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The document exchange’s DocumentId (OrganId,yyyy/MM/dd,Number/Notation): ours once issued; the sender’s for a document received through the exchange.',
  })
  exchangeDocumentId?: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When its register entry was annulled (hủy): the number stays used and is never given again. Null when not annulled.',
  })
  annulledAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why its register entry was annulled.' })
  annulmentReason?: string | null;
}

@ObjectType('IncomingDocument', { implements: [Node, DocumentInterface], description: 'An incoming document (văn bản đến).' })
export class IncomingDocumentType extends DocumentInterface {
  @Field(() => IncomingState)
  state!: IncomingState;

  @Field(() => Int, { nullable: true, description: 'Số đến: consecutive in the register’s year.' })
  arrivalNumber?: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'Ngày đến: the office day of registration.' })
  arrivalDate?: string | null;

  @Field(() => ArrivalChannel, { nullable: true, description: 'How it arrived: on paper, online from another agency, or from a unit of this system.' })
  arrivalChannel?: ArrivalChannel | null;

  @Field(() => DateTimeScalar, { nullable: true })
  receivedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  registeredAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  submittedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the document was refused back to its sender.' })
  rejectionReason?: string | null;
}

@ObjectType('ProgressNote', { description: 'A progress note an assignee recorded (tiến độ xử lý).' })
export class ProgressNoteType {
  @Field(() => String)
  note!: string;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@ObjectType('Assignment', { implements: Node, description: 'An assignment (phân công): lead (chủ trì), cooperating (phối hợp) or informed (để biết).' })
export class AssignmentType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => AssignmentRole)
  role!: AssignmentRole;

  @Field(() => DateScalar, { nullable: true, description: 'Hạn xử lý.' })
  deadline?: string | null;

  @Field(() => AssignmentState)
  state!: AssignmentState;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt?: Date | null;

  @Field(() => String, { nullable: true })
  result?: string | null;

  @Field(() => String, { nullable: true })
  returnReason?: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType('Register', { implements: Node, description: 'A register (sổ văn bản) of a records-keeping unit for a year.' })
export class RegisterType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => Direction)
  direction!: Direction;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'The last number given; the next is one more.' })
  lastNumber!: number;
}

@ObjectType('InboxCounts', { description: 'How many documents each inbox view holds for the viewer.' })
export class InboxCountsType {
  @Field(() => Int) TO_REGISTER!: number;
  @Field(() => Int) TO_SUBMIT!: number;
  @Field(() => Int) AWAITING_DIRECTION!: number;
  @Field(() => Int) TO_PROCESS!: number;
  @Field(() => Int) DUE_SOON!: number;
  @Field(() => Int) OVERDUE!: number;
  @Field(() => Int) RETURNED!: number;
  @Field(() => Int) FOR_INFORMATION!: number;
  @Field(() => Int) DRAFTS!: number;
  @Field(() => Int) TO_REVIEW!: number;
  @Field(() => Int) TO_SIGN!: number;
  @Field(() => Int) TO_ISSUE!: number;
}

@ObjectType('OutgoingDocument', { implements: [Node, DocumentInterface], description: 'An outgoing document (văn bản đi).' })
export class OutgoingDocumentType extends DocumentInterface {
  @Field(() => OutgoingState)
  state!: OutgoingState;

  @Field(() => Int, { description: 'The current version of the draft.' })
  version!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  signedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  issuedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the draft was last sent back to its drafter.' })
  returnReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  recalledAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the document was recalled (thu hồi).' })
  recallReason?: string | null;
}

@ObjectType('DraftVersion', { description: 'One version of a draft (phiên bản dự thảo), with its file and author.' })
export class DraftVersionType {
  @Field(() => Int)
  version!: number;

  @Field(() => String)
  subject!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType('Recipient', { description: 'A recipient of an outgoing document (nơi nhận) and what became of its copy.' })
export class RecipientType {
  @Field(() => DeliveryState)
  deliveryState!: DeliveryState;

  @Field(() => String, { nullable: true, description: 'For a peer: why the last delivery attempt failed, or why the peer refused the package.' })
  deliveryError?: string | null;
}

@ObjectType('ExchangeStatusEntry', { description: 'A status a peer reported for its copy (TT 10/2016), or the recall this system requested (13).' })
export class ExchangeStatusEntryType {
  @Field(() => String, {
    description:
      '01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress, 06 completed, 13 recall requested, 15 recall accepted, 16 recall refused.',
  })
  code!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => DateTimeScalar, { description: 'When the recipient says it happened.' })
  at!: Date;

  @Field(() => DateTimeScalar, { description: 'When this system learnt it.' })
  receivedAt!: Date;
}

export const DocumentConnection = Connection(DocumentInterface, 'Document');
