import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccountEventResolver, AccountResolver } from '../../resolvers/account/account.resolver';
import { AuthResolver } from '../../resolvers/auth/auth.resolver';
import { CorrespondentResolver, DocumentTypeResolver, NodeResolver } from '../../resolvers/reference/reference.resolver';
import { DateTimeScalar } from '../../resolvers/common/scalars';
import { UnitResolver } from '../../resolvers/unit/unit.resolver';
import { AssignmentResolver, ProgressNoteResolver, RoutingEventResolver } from '../../resolvers/documents/assignment.resolver';
import { AssignmentChangeResolver, RoutingEventAssignmentResolver } from '../../resolvers/documents/assignment-changes.resolver';
import { DraftVersionResolver, OutgoingDocumentResolver, RecipientResolver } from '../../resolvers/documents/outgoing.resolver';
import { IncomingDocumentResolver } from '../../resolvers/documents/incoming.resolver';
import { AttachmentResolver, DocumentResolver, RegisterResolver } from '../../resolvers/documents/document.resolver';
import { authChecker } from './auth-checker';
import { createPubSub } from '@graphql-yoga/subscription';
import { SubscriptionResolver } from '../../resolvers/events/subscription.resolver';
import { DocumentDossierResolver, DossierResolver } from '../../resolvers/dossiers/dossier.resolver';
import { WorkScheduleResolver } from '../../resolvers/schedule/schedule.resolver';
import {
  WorkScheduleChangeFieldsResolver,
  WorkScheduleEntryFieldsResolver,
  WorkScheduleEventFieldsResolver,
  WorkScheduleFieldsResolver,
  WorkScheduleVersionFieldsResolver,
} from '../../resolvers/schedule/schedule-fields.resolver';
import { OversightResolver } from '../../resolvers/oversight/oversight.resolver';
import { DelegationResolver, PermissionChangeResolver, PermissionResolver } from '../../resolvers/permissions/permission.resolver';
import { normaliseRootArguments } from './normalise-inputs';
import { answerPreparedFields } from '../read/prepared-fields';
import { ExchangeResolver } from '../../resolvers/exchange/exchange.resolver';
import { OfficeCalendarResolver } from '../../resolvers/calendar/office-calendar.resolver';
import { IncidentEventResolver, IncidentResolver } from '../../resolvers/incidents/incident.resolver';
import { AttachmentSignatureResolver } from '../../resolvers/documents/signature.resolver';
import { RegisterEntriesResolver, RegistrationCorrectionResolver } from '../../resolvers/documents/registration-corrections.resolver';
import { DocumentTypeAdminResolver } from '../../resolvers/reference/document-types.resolver';
import { RoutedFromResolver, UnitCopyResolver } from '../../resolvers/documents/unit-routing.resolver';
import { OutgoingSigningResolver } from '../../resolvers/signing/numbering.resolver';

export const RESOLVERS = [
  AuthResolver,
  UnitResolver,
  AccountResolver,
  AccountEventResolver,
  DocumentTypeResolver,
  CorrespondentResolver,
  NodeResolver,
  DocumentResolver,
  IncomingDocumentResolver,
  OutgoingDocumentResolver,
  DraftVersionResolver,
  RecipientResolver,
  AttachmentResolver,
  RegisterResolver,
  AssignmentResolver,
  AssignmentChangeResolver,
  RoutingEventAssignmentResolver,
  ProgressNoteResolver,
  RoutingEventResolver,
  UnitCopyResolver,
  RoutedFromResolver,
  SubscriptionResolver,
  DossierResolver,
  DocumentDossierResolver,
  WorkScheduleResolver,
  WorkScheduleFieldsResolver,
  WorkScheduleVersionFieldsResolver,
  WorkScheduleChangeFieldsResolver,
  WorkScheduleEntryFieldsResolver,
  WorkScheduleEventFieldsResolver,
  OversightResolver,
  PermissionResolver,
  PermissionChangeResolver,
  DelegationResolver,
  ExchangeResolver,
  OfficeCalendarResolver,
  IncidentResolver,
  IncidentEventResolver,
  AttachmentSignatureResolver,
  RegistrationCorrectionResolver,
  RegisterEntriesResolver,
  DocumentTypeAdminResolver,
  OutgoingSigningResolver,
] as const;

/** The executable schema, built from the resolvers (the SDL in schema/schema.graphql is emitted from it). */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Subscriptions read the routing events table (src/events); this pub/sub only satisfies type-graphql.
    pubSub: createPubSub(),
  });
  // Fields of reads compiled into SQL are answered from what the statement prepared (src/read/prepared-fields.ts).
  return answerPreparedFields(normaliseRootArguments(schema));
}
