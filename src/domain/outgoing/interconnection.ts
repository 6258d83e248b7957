import { UnitKind } from '../units/unit-rules';

export interface KeepingUnitFacts {
  id: string;
  kind: UnitKind;
  parentId: string | null;
}

/**
 * Điều 9.2: a subordinate unit exchanges documents only with its agency, and the agency with its
 * subordinate units; a subordinate unit never sends directly to another. Agencies hosted on the same
 * deployment (each at the top of its own tree) send to one another inside it, as they would through
 * the exchange. A records-keeping unit also sends internal notices, invitations and work schedules to its
 * own departments, which read the issued document itself (it is not registered again).
 * Returns why a delivery from `from` to `to` is not allowed, or null.
 */
export function interconnectionProblem(from: KeepingUnitFacts, to: KeepingUnitFacts): string | null {
  if (to.kind === UnitKind.DEPARTMENT) {
    // Internal notices, invitations and work schedules reach the unit's own departments (Điều 7.1); there is no copy to register.
    if (to.parentId === from.id && from.kind !== UnitKind.DEPARTMENT) return null;
    return 'A department keeps no records: address the agency or subordinate unit it belongs to (a unit sends only to its own departments).';
  }
  if (from.id === to.id) return 'A unit does not send documents to itself.';
  if (from.kind === UnitKind.SUBORDINATE) {
    return to.kind === UnitKind.AGENCY && from.parentId === to.id ? null : 'A subordinate unit may send documents only to its agency.';
  }
  if (from.kind === UnitKind.AGENCY) {
    if (to.kind === UnitKind.SUBORDINATE && to.parentId === from.id) return null;
    if (to.kind === UnitKind.AGENCY && to.parentId === null && from.parentId === null) return null;
    return 'The agency may send documents inside the system only to its own subordinate units and to the other agencies of the deployment.';
  }
  return 'Only records-keeping units send documents.';
}

/**
 * Điều 9.2 for recipients outside the system (correspondents, peers of the exchange): only an agency
 * sends to them. A subordinate unit issues only to its agency, which passes a document on under its
 * own identifier when it must go further. Returns why `from` may not, or null.
 */
export function outsideRecipientProblem(from: KeepingUnitFacts): string | null {
  if (from.kind === UnitKind.AGENCY) return null;
  if (from.kind === UnitKind.SUBORDINATE) {
    return 'A subordinate unit may send documents only to its agency, not to outside organisations: the agency sends them on.';
  }
  return 'Only records-keeping units send documents.';
}

/** The exchange status code (Thông tư 10/2016/TT-BTTTT) a sender sees for a recipient's copy in `state`. */
export function exchangeStatusCode(incomingState: string): string {
  switch (incomingState) {
    case 'RECEIVED':
      return '01';
    case 'REJECTED':
      return '02';
    case 'REGISTERED':
    case 'SUBMITTED':
      return '03';
    case 'ASSIGNED':
      return '04';
    case 'IN_PROGRESS':
      return '05';
    case 'COMPLETED':
      return '06';
    case 'RECALLED':
      return '15';
    default:
      return '01';
  }
}

/** Whether an issued document reaches this recipient unit as a copy in its clerk's queue (false: the department reads the issued document itself). */
export function deliversAsCopy(to: Pick<KeepingUnitFacts, 'kind'>): boolean {
  return to.kind !== UnitKind.DEPARTMENT;
}
