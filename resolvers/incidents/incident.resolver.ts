import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Account, Incident, IncidentEvent } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as incidents from '../../src/services/incident.service';
import { AccountType } from '../account/account.type';
import { PageArgs } from '../common/page.args';
import { IncidentEventType, IncidentType, IncidentConnection } from './incident.types';
import { ReportIncidentInput, IncidentFilter } from './incident.inputs';

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
