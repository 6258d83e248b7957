import { Account } from './Account';
import { AccountActivity } from './AccountActivity';
import { AccountEvent } from './AccountEvent';
import { AccountUnitPeriod } from './AccountUnitPeriod';
import { Assignment } from './Assignment';
import { AssignmentProgress } from './AssignmentProgress';
import { Correspondent } from './Correspondent';
import { Document } from './Document';
import { DocumentAttachment } from './DocumentAttachment';
import { Delegation } from './Delegation';
import { DocumentType } from './DocumentType';
import { Dossier } from './Dossier';
import { DossierDocument } from './DossierDocument';
import { DraftVersion } from './DraftVersion';
import { ExchangeMessage } from './ExchangeMessage';
import { ExchangeStatus } from './ExchangeStatus';
import { FileSignatureCheck } from './FileSignatureCheck';
import { IdempotencyKey } from './IdempotencyKey';
import { Incident } from './Incident';
import { IncidentEvent } from './IncidentEvent';
import { IncomingDocument } from './IncomingDocument';
import { LoginThrottle } from './LoginThrottle';
import { OfficeDay } from './OfficeDay';
import { OfficeDayChange } from './OfficeDayChange';
import { OutgoingDocument } from './OutgoingDocument';
import { OutgoingRecipient } from './OutgoingRecipient';
import { PermissionChange } from './PermissionChange';
import { PermissionGrant } from './PermissionGrant';
import { Register } from './Register';
import { RoutingEvent } from './RoutingEvent';
import { Session } from './Session';
import { StoredFile } from './StoredFile';
import { Unit } from './Unit';
import { WorkSchedule } from './WorkSchedule';
import { WorkScheduleEntry, WorkScheduleEntryDocument } from './WorkScheduleEntry';
import { WorkScheduleEvent } from './WorkScheduleEvent';
import { WorkScheduleVersion } from './WorkScheduleVersion';

export {
  Account,
  AccountActivity,
  AccountEvent,
  AccountUnitPeriod,
  Assignment,
  AssignmentProgress,
  Correspondent,
  Delegation,
  Document,
  DocumentAttachment,
  DocumentType,
  Dossier,
  DossierDocument,
  DraftVersion,
  ExchangeMessage,
  ExchangeStatus,
  FileSignatureCheck,
  IdempotencyKey,
  Incident,
  IncidentEvent,
  IncomingDocument,
  LoginThrottle,
  OfficeDay,
  OfficeDayChange,
  OutgoingDocument,
  OutgoingRecipient,
  PermissionChange,
  PermissionGrant,
  Register,
  RoutingEvent,
  Session,
  StoredFile,
  Unit,
  WorkSchedule,
  WorkScheduleEntry,
  WorkScheduleEntryDocument,
  WorkScheduleEvent,
  WorkScheduleVersion,
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
  OutgoingDocument,
  DraftVersion,
  OutgoingRecipient,
  DocumentAttachment,
  Assignment,
  AssignmentProgress,
  RoutingEvent,
  Dossier,
  DossierDocument,
  AccountActivity,
  PermissionGrant,
  PermissionChange,
  Delegation,
  IdempotencyKey,
  ExchangeMessage,
  ExchangeStatus,
  WorkSchedule,
  WorkScheduleVersion,
  WorkScheduleEntry,
  WorkScheduleEntryDocument,
  WorkScheduleEvent,
  OfficeDay,
  OfficeDayChange,
  Incident,
  IncidentEvent,
  FileSignatureCheck,
];
