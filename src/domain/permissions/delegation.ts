/** What may be delegated (ủy quyền). */
export enum DelegationRight {
  /** A director's signing of outgoing documents of the keeping unit. */
  SIGN = 'SIGN',
  /** A head's review of the department's drafts. */
  REVIEW = 'REVIEW',
}

/** Whether a delegation is in force on an office day (inclusive range). */
export function delegationActive(d: { startDate: string; endDate: string; revokedAt?: Date | null }, today: string): boolean {
  return !d.revokedAt && d.startDate <= today && today <= d.endDate;
}
