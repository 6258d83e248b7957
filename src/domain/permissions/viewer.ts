import { Role } from '../accounts/account-rules';
import { UnitKind } from '../units/unit-rules';

/** A right delegated to the viewer for today (ủy quyền). */
export interface DelegatedRight {
  right: 'SIGN' | 'REVIEW';
  /** The delegator's keeping unit (SIGN) or department (REVIEW). */
  scopeUnitId: string;
  delegationId: string;
  fromAccountId: string;
}

/** What the permission rules need to know about the person asking. */
export interface Viewer {
  accountId: string;
  roles: readonly Role[];
  unitId: string;
  unitKind: UnitKind;
  /** The records-keeping unit the viewer works in: the unit itself, or the parent of a department. */
  keepingUnitId: string;
  /** Every unit of the keeping unit: itself and its departments. */
  keepingUnitMemberIds: readonly string[];
  /** The agency (top of the tree) the viewer's unit belongs to: what agency-wide oversight covers. */
  agencyId: string;
  /** True when the viewer works in the Office (Văn phòng), whose head oversees the whole keeping unit (Điều 8.3). */
  inOffice: boolean;
  /** The viewer's department, when the viewer's unit is one. */
  departmentId: string | null;
  /** Rights others delegated to the viewer, valid today. */
  delegations?: readonly DelegatedRight[];
}
