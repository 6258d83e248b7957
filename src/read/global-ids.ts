import type { NodeType } from '../graphql/global-id';

/** GraphQL type of a compiled read → the kind and key of its global id (its `id` resolver's toGlobalId). */
export const GLOBAL_IDS: Record<string, [NodeType, string]> = {
  IncomingDocument: ['IncomingDocument', 'id'],
  OutgoingDocument: ['OutgoingDocument', 'id'],
  Unit: ['Unit', 'id'],
  Account: ['Account', 'id'],
  Correspondent: ['Correspondent', 'id'],
  DocumentType: ['DocumentType', 'code'],
  Register: ['Register', 'id'],
  Attachment: ['StoredFile', 'id'],
  Assignment: ['Assignment', 'id'],
  RoutingEvent: ['RoutingEvent', 'id'],
  Dossier: ['Dossier', 'id'],
};
