/** Độ khẩn: urgent documents are registered, submitted and passed on at once. */
export enum Urgency {
  NORMAL = 'NORMAL',
  URGENT = 'URGENT',
  VERY_URGENT = 'VERY_URGENT',
  FLASH = 'FLASH',
}

/** Độ mật: only NORMAL may enter the system (Điều 3.2); the others exist so they can be refused by name. */
export enum Confidentiality {
  NORMAL = 'NORMAL',
  SECRET = 'SECRET',
  TOP_SECRET = 'TOP_SECRET',
  ABSOLUTE_SECRET = 'ABSOLUTE_SECRET',
}

export enum Direction {
  INCOMING = 'INCOMING',
  OUTGOING = 'OUTGOING',
}

/** How an incoming document arrived (kênh tiếp nhận). */
export enum ArrivalChannel {
  /** A paper original the clerk digitised. */
  PAPER = 'PAPER',
  /** Online from another agency. */
  ELECTRONIC = 'ELECTRONIC',
  /** Issued by a unit of this system. */
  INTERNAL = 'INTERNAL',
}

/** Limits of the metadata (NĐ 30/2020 Phụ lục VI). */
export const METADATA_LIMITS = {
  number: 11,
  symbol: 30,
  issuer: 200,
  subject: 500,
  language: 30,
  pageCount: 999,
  note: 500,
  signerName: 50,
  signerPosition: 100,
  instruction: 2000,
  result: 2000,
  reason: 1000,
  progressNote: 2000,
} as const;

/**
 * Every state a document of either direction can be in (IncomingState ∪ OutgoingState, same strings):
 * document-list filters and the `fromState`/`toState` of routing events, which only ever carry a
 * document's state (an assignment's own state is never written there).
 */
export enum DocumentState {
  RECEIVED = 'RECEIVED',
  REJECTED = 'REJECTED',
  REGISTERED = 'REGISTERED',
  SUBMITTED = 'SUBMITTED',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  AWAITING_SIGNATURE = 'AWAITING_SIGNATURE',
  SIGNED = 'SIGNED',
  NUMBERED = 'NUMBERED',
  ISSUED = 'ISSUED',
  RECALLED = 'RECALLED',
  ANNULLED = 'ANNULLED',
}

/**
 * What a routing event records (`routing_event.type`). `recordEvent` takes only these, so every row
 * the server writes serializes as the GraphQL enum `RoutingEventType`.
 */
export enum RoutingEventKind {
  // Incoming documents.
  RECEIVED = 'RECEIVED',
  REJECTED = 'REJECTED',
  REGISTERED = 'REGISTERED',
  SUBMITTED = 'SUBMITTED',
  ASSIGNED = 'ASSIGNED',
  DELEGATED = 'DELEGATED',
  STARTED = 'STARTED',
  PROGRESS = 'PROGRESS',
  COMPLETED = 'COMPLETED',
  RETURNED = 'RETURNED',
  /** An informed reader (để biết) marked the document read. */
  READ = 'READ',
  /** The director (or the head, for what the head passed on) took an unfinished assignment back, with the reason. */
  ASSIGNMENT_WITHDRAWN = 'ASSIGNMENT_WITHDRAWN',
  /** The deadline or the instruction of an unfinished assignment changed, with the reason. */
  ASSIGNMENT_CHANGED = 'ASSIGNMENT_CHANGED',
  /** An unfinished assignment given to someone else (the previous one is withdrawn), with the reason. */
  REASSIGNED = 'REASSIGNED',
  /** An open assignment handed over to another account of the unit when its holder was disabled or transferred. */
  HANDED_OVER = 'HANDED_OVER',
  /** The clerk corrected the metadata of a registration: the note holds each field before and after, and the reason. */
  CORRECTED = 'CORRECTED',
  // Outgoing documents (RETURNED is shared: a draft returned to its author).
  DRAFTED = 'DRAFTED',
  REVISED = 'REVISED',
  SUBMITTED_FOR_REVIEW = 'SUBMITTED_FOR_REVIEW',
  APPROVED = 'APPROVED',
  SIGNED = 'SIGNED',
  NUMBERED = 'NUMBERED',
  ISSUED = 'ISSUED',
  // Either direction.
  RECALLED = 'RECALLED',
  /** A register entry annulled with a reason (its number stays used): a registration or an issue made in error. */
  ANNULLED = 'ANNULLED',
  // The exchange (liên thông) with peers, on the sender's outgoing document.
  EXCHANGE_STATUS = 'EXCHANGE_STATUS',
  EXCHANGE_DELIVERED = 'EXCHANGE_DELIVERED',
  EXCHANGE_FAILED = 'EXCHANGE_FAILED',
  EXCHANGE_REFUSED = 'EXCHANGE_REFUSED',
}
