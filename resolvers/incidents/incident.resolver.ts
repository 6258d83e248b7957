import { MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { Node } from '../common/node';
import type { Account, Incident, IncidentEvent } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { INCIDENT_LIMITS, IncidentState } from '../../src/domain/incidents/incident-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as incidents from '../../src/services/incident.service';
import { AccountType } from '../account/account.type';
import { Connection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import { DateTimeScalar } from '../common/scalars';

registerEnumType(IncidentState, {
  name: 'IncidentState',
  description: 'Where an incident stands.',
  valuesConfig: {
    REPORTED: { description: 'Reported, not yet taken up.' },
    IN_PROGRESS: { description: 'The administrator is working it (with the provincial ICT department when needed).' },
    CLOSED: { description: 'Resolved; the resolution says how.' },
  },
});

@ObjectType('IncidentEvent', { description: 'A step in an incident’s history: reported, a note of the work, closed.' })
class IncidentEventType {
  @Field(() => IncidentState, { nullable: true }) fromState!: IncidentState | null;
  @Field(() => IncidentState) toState!: IncidentState;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => DateTimeScalar) at!: Date;
}

@ObjectType('Incident', {
  implements: Node,
  description: 'A fault met in using the system (sự cố, Điều 10.4), reported to the network administrator (SYSADMIN).',
})
export class IncidentType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'What went wrong, in a line.' }) summary!: string;
  @Field(() => String, { nullable: true }) details!: string | null;
  @Field(() => String, { nullable: true, description: 'Where in the system: a screen, page or operation.' }) screen!: string | null;
  @Field(() => DateTimeScalar, { description: 'When the fault happened.' }) occurredAt!: Date;
  @Field(() => DateTimeScalar) reportedAt!: Date;
  @Field(() => IncidentState) state!: IncidentState;
  @Field(() => String, { nullable: true, description: 'How it was resolved (when CLOSED).' }) resolution!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: Date | null;
}

const IncidentConnection = Connection(IncidentType, 'Incident');

@InputType({ description: 'An incident as its reporter describes it.' })
class ReportIncidentInput {
  @Field(() => String) @MaxLength(INCIDENT_LIMITS.summary) summary!: string;
  @Field(() => String, { nullable: true }) @MaxLength(INCIDENT_LIMITS.details) details?: string | null;
  @Field(() => DateTimeScalar, { description: 'When it happened: not in the future, at most a year ago.' }) occurredAt!: Date;
  @Field(() => String, { nullable: true, description: 'The screen, page or operation concerned.' }) @MaxLength(INCIDENT_LIMITS.screen) screen?: string | null;
  @Field(() => ID, { nullable: true, description: 'A document the fault concerns: one the reporter may read (NOT_FOUND otherwise).' }) documentId?:
    string | null;
}

@InputType({ description: 'Narrows the incident list.' })
class IncidentFilter {
  @Field(() => [IncidentState], { nullable: true }) states?: IncidentState[] | null;
  @Field(() => Int, { nullable: true, description: 'Reported in this office year.' }) year?: number | null;
}

@Resolver(() => IncidentType)
export class IncidentResolver {
  @Allow('AUTHENTICATED')
  @Query(() => IncidentConnection, { description: 'Incidents, newest first: the viewer’s own; a SYSADMIN’s, every incident of its agency.' })
  incidents(@Ctx() ctx: Context, @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null, @Args(() => PageArgs) page: PageArgs) {
    return incidents.listIncidents(ctx, filter, page.first, page.after);
  }

  @Allow('AUTHENTICATED')
  @Query(() => IncidentType, { nullable: true, description: 'An incident the viewer may see (its own; a SYSADMIN’s, its agency’s); null otherwise.' })
  incident(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return incidents.findIncident(ctx, id);
  }

  @Allow('AUTHENTICATED')
  @Mutation(() => IncidentType, { description: 'Reports a fault met in using the system to the administrator (Điều 10.4): any signed-in account.' })
  reportIncident(
    @Ctx() ctx: Context,
    @Arg('input', () => ReportIncidentInput) input: ReportIncidentInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'The same key gives back the first report instead of a second one.' })
    idempotencyKey: string | null,
  ) {
    return incidents.reportIncident(ctx, input, idempotencyKey);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => IncidentType, { description: 'Takes an incident of the agency up, or notes further work on it: IN_PROGRESS with the note (SYSADMIN).' })
  workIncident(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('note', () => String) note: string) {
    return incidents.workIncident(ctx, id, note);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => IncidentType, { description: 'Closes an incident of the agency with its resolution (SYSADMIN). A closed incident takes no further step.' })
  closeIncident(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('resolution', () => String) resolution: string) {
    return incidents.closeIncident(ctx, id, resolution);
  }

  @FieldResolver(() => ID)
  id(@Root() i: Incident): string {
    return toGlobalId('Incident', i.id);
  }

  @FieldResolver(() => AccountType)
  async reporter(@Root() i: Incident, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(i.reporter.id))!;
  }

  @FieldResolver(() => AccountType, { nullable: true })
  async closedBy(@Root() i: Incident, @Ctx() ctx: Context): Promise<Account | null> {
    return i.closedBy ? ctx.loaders.account.load(i.closedBy.id) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The id of the document concerned; whoever may read it opens it with node(id).' })
  async documentId(@Root() i: Incident, @Ctx() ctx: Context): Promise<string | null> {
    return (await incidents.incidentDocument(ctx, i))?.id ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The document’s register reference (arrival number, or number and symbol): never its subject.' })
  async documentReference(@Root() i: Incident, @Ctx() ctx: Context): Promise<string | null> {
    return (await incidents.incidentDocument(ctx, i))?.reference ?? null;
  }

  @FieldResolver(() => [IncidentEventType], { description: 'Reported, each note of the work, closed: oldest first.' })
  history(@Root() i: Incident, @Ctx() ctx: Context): Promise<IncidentEvent[]> {
    return incidents.incidentHistory(ctx, i);
  }
}

@Resolver(() => IncidentEventType)
export class IncidentEventResolver {
  @FieldResolver(() => AccountType, { description: 'Who reported, worked or closed.' })
  async actor(@Root() e: IncidentEvent, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(e.actor.id))!;
  }
}
