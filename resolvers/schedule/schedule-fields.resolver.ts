import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { Account, Unit, WorkSchedule, WorkScheduleEntry, WorkScheduleEvent, WorkScheduleVersion } from '../../entities';
import type { Context } from '../../src/context';
import { encodeCursor } from '../../src/events/event-hub';
import { addDays } from '../../src/domain/time/office-time';
import { diffEntries } from '../../src/domain/schedule/schedule-rules';
import { toGlobalId } from '../../src/graphql/global-id';
import { perObject } from '../../src/graphql/request-memo';
import { findDocumentByKey } from '../../src/services/document-query.service';
import { entryLinks, scheduleOfVersion, versionByNumber } from '../../src/services/schedule-fields';
import { canReadVersion, publishedVersion, readableVersions, versionEntries, versionInProgress } from '../../src/services/schedule-access';
import { toFacts } from '../../src/services/schedule-entries';
import { AccountType } from '../account/account.type';
import { DateScalar } from '../common/scalars';
import { UnitType } from '../unit/unit.type';
import {
  WorkScheduleChangeType,
  WorkScheduleDocumentLinkType,
  WorkScheduleEntryType,
  WorkScheduleEventType,
  WorkScheduleType,
  WorkScheduleVersionType,
} from './schedule.types';

const account = (ctx: Context, a: Account | null | undefined) => (a ? ctx.loaders.account.load(a.id) : null);

@Resolver(() => WorkScheduleType)
export class WorkScheduleFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() s: WorkSchedule): string {
    return toGlobalId('WorkSchedule', s.id);
  }

  @FieldResolver(() => DateScalar, { description: 'Its Sunday (the week runs Monday to Sunday).' })
  weekEnd(@Root() s: WorkSchedule): string {
    return addDays(s.weekStart, 6);
  }

  @FieldResolver(() => UnitType, { description: 'The agency or subordinate unit whose leaders’ schedule it is.' })
  async keepingUnit(@Root() s: WorkSchedule, @Ctx() ctx: Context): Promise<Unit> {
    return (await ctx.loaders.unit.load(s.keepingUnit.id))!;
  }

  @FieldResolver(() => WorkScheduleVersionType, { nullable: true, description: 'The version in force (PUBLISHED), when there is one: the week view.' })
  published(@Root() s: WorkSchedule, @Ctx() ctx: Context): Promise<WorkScheduleVersion | null> {
    return publishedVersion(ctx, s);
  }

  @FieldResolver(() => WorkScheduleVersionType, {
    nullable: true,
    description: 'The version being prepared (DRAFT, SUBMITTED or RETURNED): only the Office and the director see it.',
  })
  inProgress(@Root() s: WorkSchedule, @Ctx() ctx: Context): Promise<WorkScheduleVersion | null> {
    return versionInProgress(ctx, s);
  }

  @FieldResolver(() => [WorkScheduleVersionType], { description: 'Every version the viewer may read, oldest first.' })
  versions(@Root() s: WorkSchedule, @Ctx() ctx: Context): Promise<WorkScheduleVersion[]> {
    return readableVersions(ctx, s);
  }

  @FieldResolver(() => WorkScheduleVersionType, { nullable: true, description: 'One version by its number, when the viewer may read it.' })
  async version(@Root() s: WorkSchedule, @Ctx() ctx: Context, @Arg('number', () => Int) n: number): Promise<WorkScheduleVersion | null> {
    return (await readableVersions(ctx, s)).find((v) => v.number === n) ?? null;
  }
}

@Resolver(() => WorkScheduleVersionType)
export class WorkScheduleVersionFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() v: WorkScheduleVersion): string {
    return toGlobalId('WorkScheduleVersion', v.id);
  }

  @FieldResolver(() => WorkScheduleType)
  async schedule(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context): Promise<WorkSchedule> {
    return scheduleOfVersion(ctx, v);
  }

  @FieldResolver(() => String, { description: 'The ISO week.' })
  async week(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context): Promise<string> {
    return (await this.schedule(v, ctx)).week;
  }

  @FieldResolver(() => [WorkScheduleEntryType], { description: 'The entries, by date, then start time.' })
  entries(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context): Promise<WorkScheduleEntry[]> {
    return versionEntries(ctx, v);
  }

  @FieldResolver(() => AccountType, { description: 'Who last drafted or edited it.' })
  draftedBy(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context) {
    return account(ctx, v.draftedBy);
  }

  @FieldResolver(() => AccountType, { nullable: true, description: 'The director who approved it.' })
  approvedBy(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context) {
    return account(ctx, v.approvedBy);
  }

  @FieldResolver(() => [WorkScheduleChangeType], {
    description: 'What changed against the version it replaced (`previousNumber`): added, removed and changed entries. Empty for a first version.',
  })
  async changes(@Root() v: WorkScheduleVersion, @Ctx() ctx: Context): Promise<WorkScheduleChangeType[]> {
    const schedule = await this.schedule(v, ctx);
    // The diff is the same for every viewer (a subscription's rows are shared); whether the previous version may be shown is not.
    const diff = await perObject(v, 'schedule-changes', async () => {
      const base = v.previousNumber ?? (v.number > 1 && !v.publishedAt ? schedule.publishedVersion : null);
      const previous = base ? await versionByNumber(ctx, schedule.id, base) : null;
      if (!previous) return null;
      const [before, after] = await Promise.all([versionEntries(ctx, previous), versionEntries(ctx, v)]);
      const links = await entryLinks(
        ctx,
        [...before, ...after].map((e) => e.id),
      );
      const byKeyBefore = new Map(before.map((e) => [e.key, e]));
      const byKeyAfter = new Map(after.map((e) => [e.key, e]));
      const changes = diffEntries(toFacts(before, links), toFacts(after, links)).map((c) => ({
        kind: c.kind,
        fields: c.fields,
        entry: byKeyAfter.get(c.key) ?? null,
        previousEntry: byKeyBefore.get(c.key) ?? null,
      }));
      return { previous, changes };
    });
    if (!diff) return [];
    const previousVisible = await canReadVersion(ctx, schedule, diff.previous);
    return diff.changes.map((c) => ({ ...c, previousVisible }));
  }
}

@Resolver(() => WorkScheduleChangeType)
export class WorkScheduleChangeFieldsResolver {
  @FieldResolver(() => WorkScheduleEntryType, { nullable: true, description: 'The entry as it is now; null for REMOVED.' })
  entry(@Root() c: WorkScheduleChangeType): WorkScheduleEntry | null {
    return c.entry;
  }

  @FieldResolver(() => WorkScheduleEntryType, {
    nullable: true,
    description: 'The entry as it was; null for ADDED, or when the viewer may not read the previous version.',
  })
  previousEntry(@Root() c: WorkScheduleChangeType): WorkScheduleEntry | null {
    return c.previousVisible ? c.previousEntry : null;
  }
}

@Resolver(() => WorkScheduleEntryType)
export class WorkScheduleEntryFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() e: WorkScheduleEntry): string {
    return toGlobalId('WorkScheduleEntry', e.id);
  }

  @FieldResolver(() => AccountType, { nullable: true, description: 'Who chairs (chủ trì).' })
  chair(@Root() e: WorkScheduleEntry, @Ctx() ctx: Context) {
    return account(ctx, e.chair);
  }

  @FieldResolver(() => [UnitType], { description: 'Participating units (thành phần).' })
  async participantUnits(@Root() e: WorkScheduleEntry, @Ctx() ctx: Context): Promise<Unit[]> {
    return (await ctx.loaders.unit.loadMany(e.participantUnitIds)).filter((u): u is Unit => u instanceof Unit);
  }

  @FieldResolver(() => [AccountType], { description: 'Participating accounts.' })
  async participantAccounts(@Root() e: WorkScheduleEntry, @Ctx() ctx: Context): Promise<Account[]> {
    return (await ctx.loaders.account.loadMany(e.participantAccountIds)).filter((a): a is Account => a instanceof Account);
  }

  @FieldResolver(() => [WorkScheduleDocumentLinkType], {
    description: 'Linked invitations and meeting materials; a document the viewer may not read shows as null.',
  })
  async documents(@Root() e: WorkScheduleEntry, @Ctx() ctx: Context): Promise<WorkScheduleDocumentLinkType[]> {
    const links = (await entryLinks(ctx, [e.id])).get(e.id) ?? [];
    return Promise.all(
      links.map(async (l) => ({
        kind: l.kind as WorkScheduleDocumentLinkType['kind'],
        document: await findDocumentByKey(ctx, l.document.id),
      })),
    );
  }
}

@Resolver(() => WorkScheduleEventType)
export class WorkScheduleEventFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() e: WorkScheduleEvent): string {
    return toGlobalId('WorkScheduleEvent', e.id);
  }

  @FieldResolver(() => String, { description: 'Position of the event in the stream: give it as `after` to resume.' })
  cursor(@Root() e: WorkScheduleEvent): string {
    return encodeCursor({ txid: BigInt(e.txid), id: BigInt(e.id) });
  }

  @FieldResolver(() => AccountType, { nullable: true })
  actor(@Root() e: WorkScheduleEvent, @Ctx() ctx: Context) {
    return account(ctx, e.actor);
  }

  @FieldResolver(() => WorkScheduleVersionType, { description: 'The version the event is about, as read when the event was delivered.' })
  version(@Root() e: WorkScheduleEvent): WorkScheduleVersion {
    return e.version;
  }

  @FieldResolver(() => WorkScheduleType)
  schedule(@Root() e: WorkScheduleEvent): WorkSchedule {
    return e.schedule;
  }
}
