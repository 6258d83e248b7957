import { Field, ID, InterfaceType } from 'type-graphql';
import {
  Account,
  Assignment,
  Correspondent,
  Delegation,
  DocumentType,
  Dossier,
  ExchangeMessage,
  Incident,
  IncomingDocument,
  OutgoingDocument,
  PermissionGrant,
  Register,
  RoutingEvent,
  StoredFile,
  Unit,
  WorkSchedule,
  WorkScheduleEntry,
  WorkScheduleVersion,
} from '../../entities';

/** Resolves which object type an entity is, for `Node` and other interfaces. */
export function typeNameOf(value: unknown): string | undefined {
  if (value instanceof Unit) return 'Unit';
  if (value instanceof Account) return 'Account';
  if (value instanceof DocumentType) return 'DocumentType';
  if (value instanceof Correspondent) return 'Correspondent';
  if (value instanceof IncomingDocument) return 'IncomingDocument';
  if (value instanceof OutgoingDocument) return 'OutgoingDocument';
  if (value instanceof Assignment) return 'Assignment';
  if (value instanceof RoutingEvent) return 'RoutingEvent';
  if (value instanceof Register) return 'Register';
  if (value instanceof StoredFile) return 'Attachment';
  if (value instanceof Dossier) return 'Dossier';
  if (value instanceof WorkSchedule) return 'WorkSchedule';
  if (value instanceof WorkScheduleVersion) return 'WorkScheduleVersion';
  if (value instanceof WorkScheduleEntry) return 'WorkScheduleEntry';
  if (value instanceof PermissionGrant) return 'PermissionGrant';
  if (value instanceof Delegation) return 'Delegation';
  if (value instanceof ExchangeMessage) return 'ExchangeMessage';
  if (value instanceof Incident) return 'Incident';
  return undefined;
}

@InterfaceType({ description: 'An object with a global id that `node(id)` can fetch again.', resolveType: typeNameOf })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
