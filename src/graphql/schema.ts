import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccountEventResolver, AccountResolver } from '../../resolvers/account/account.resolver';
import { AuthResolver } from '../../resolvers/auth/auth.resolver';
import { CorrespondentResolver, DocumentTypeResolver, NodeResolver } from '../../resolvers/reference/reference.resolver';
import { DateTimeScalar } from '../../resolvers/common/scalars';
import { UnitResolver } from '../../resolvers/unit/unit.resolver';
import { AssignmentResolver, ProgressNoteResolver, RoutingEventResolver } from '../../resolvers/documents/assignment.resolver';
import { DraftVersionResolver, OutgoingDocumentResolver, RecipientResolver } from '../../resolvers/documents/outgoing.resolver';
import { AttachmentResolver, DocumentResolver, IncomingDocumentResolver, RegisterResolver } from '../../resolvers/documents/incoming.resolver';
import { authChecker } from './auth-checker';
import { createPubSub } from '@graphql-yoga/subscription';
import { SubscriptionResolver } from '../../resolvers/events/subscription.resolver';
import { DocumentDossierResolver, DossierResolver } from '../../resolvers/dossiers/dossier.resolver';
import { OversightResolver } from '../../resolvers/oversight/oversight.resolver';
import { DelegationResolver, PermissionChangeResolver, PermissionResolver } from '../../resolvers/permissions/permission.resolver';
import { normaliseRootArguments } from './normalise-inputs';
import { ExchangeResolver } from '../../resolvers/exchange/exchange.resolver';
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
  ProgressNoteResolver,
  RoutingEventResolver,
  SubscriptionResolver,
  DossierResolver,
  DocumentDossierResolver,
  OversightResolver,
  PermissionResolver,
  PermissionChangeResolver,
  DelegationResolver,
  ExchangeResolver,
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
  return normaliseRootArguments(schema);
}
