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
