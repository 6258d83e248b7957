import { Account } from './Account';
import { AccountEvent } from './AccountEvent';
import { AccountUnitPeriod } from './AccountUnitPeriod';
import { Assignment } from './Assignment';
import { AssignmentProgress } from './AssignmentProgress';
import { Correspondent } from './Correspondent';
import { Document } from './Document';
import { DocumentAttachment } from './DocumentAttachment';
import { DocumentType } from './DocumentType';
import { IncomingDocument } from './IncomingDocument';
import { LoginThrottle } from './LoginThrottle';
import { Register } from './Register';
import { RoutingEvent } from './RoutingEvent';
import { Session } from './Session';
import { StoredFile } from './StoredFile';
import { Unit } from './Unit';

export {
  Account,
  AccountEvent,
  AccountUnitPeriod,
  Assignment,
  AssignmentProgress,
  Correspondent,
  Document,
  DocumentAttachment,
  DocumentType,
  IncomingDocument,
  LoginThrottle,
  Register,
  RoutingEvent,
  Session,
  StoredFile,
  Unit,
};

/** Every entity, for the ORM's configuration. */
export const ENTITIES = [
  Unit,
  Account,
  AccountUnitPeriod,
  AccountEvent,
  Session,
  LoginThrottle,
  DocumentType,
  Correspondent,
  StoredFile,
  Register,
  Document,
  IncomingDocument,
  DocumentAttachment,
  Assignment,
  AssignmentProgress,
  RoutingEvent,
];
