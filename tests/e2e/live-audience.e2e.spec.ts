import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { Account, Document } from '../../entities';
import type { Context } from '../../src/context';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import { ConditionKind, type CustomRule } from '../../src/domain/permissions/custom-rules';
import { readPlan, readableBy } from '../../src/events/audience';
import { loadDocumentFacts } from '../../src/events/document-facts';
import { readableWhere } from '../../src/services/document-query.service';
import { viewerOf } from '../../src/services/permission.service';
import {
  AccountsDocument,
  AddPermissionRuleDocument,
  AssignDocumentDocument,
  DelegateAssignmentDocument,
  RecordProgressLiteDocument,
  RemovePermissionRuleDocument,
  RoutingEventsDocument,
  StreamPositionDocument,
  SubmitDocumentsDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect, type Collected } from '../helpers/live';

/**
 * Live events are authorised in memory, against the facts of the batch's documents read once for every
 * subscriber (src/events/audience.ts, src/events/document-facts.ts), instead of a statement per
 * subscriber. These tests hold that to the database's answer and to the behaviour subscribers had.
 */
type Ev = { routingEvents: { id: string; cursor: string; type: string; note?: string | null; document: { id: string } | null } };
const EVENTS = print(RoutingEventsDocument);

let env: TestEnv;
let admin: ApiClient, clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient;
let units: Record<string, string>;
let staffId: string;

beforeAll(async () => {
  env = await startTestEnv();
  [admin, clerk, director, head, staff] = await Promise.all([
    env.as(ADMIN_USERNAME),
    env.as(DEMO.clerk),
    env.as(DEMO.director),
    env.as(DEMO.head),
    env.as(DEMO.staff),
  ]);
  units = await unitIds(director);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

const streamPosition = async (c: ApiClient) => (await c.ok(StreamPositionDocument)).routingEventsCursor;

/** A document assigned to the department QLHĐXD; with `toStaff`, its lead assignment passed on to the staff member. */
async function assigned(toStaff: boolean) {
  const d = await receive(env, clerk, { registerNow: true });
  await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  const { assignDocument } = await director.ok(AssignDocumentDocument, {
    id: d.id,
    input: { instruction: 'Giao phòng.', lead: { unitId: units['QLHĐXD'], deadline: '2027-12-10' } },
  });
  const lead = assignDocument.assignments[0].id;
  const delegate = async () =>
    (await head.ok(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: staffId, deadline: '2027-12-01' } })).delegateAssignment.id;
  return { id: d.id, lead, child: toStaff ? await delegate() : null, delegate };
}

/**
 * A marker the staff member writes on their own document: once it has arrived, every event committed
 * before it has been decided for the subscriber (the stream is delivered in order), with no sleep.
 */
async function mark(sub: Collected<Ev>, assignmentId: string, note: string): Promise<Ev[]> {
  await staff.ok(RecordProgressLiteDocument, { assignmentId, note });
  for (;;) {
    const items = await sub.waitFor(sub.items.length + 1, 20_000);
    if (items.some((e) => e.routingEvents.note === note)) return items;
  }
}

const ofDocument = (items: Ev[], id: string) => items.filter((e) => e.routingEvents.document?.id === id).map((e) => e.routingEvents.type);

describe('the facts of a batch and the database agree (differential test)', () => {
  beforeAll(async () => {
    // Outgoing documents issued to departments, with their recipients: the facts the role defaults read through `recipients`.
    const ids = await env.sql<{ id: string; kind: string; parent_id: string | null }>(`select id, kind, parent_id from unit`);
    const departments = ids.filter((u) => u.kind === 'DEPARTMENT');
    const accounts = await env.sql<{ id: string; unit_id: string }>(`select id, unit_id from account order by username`);
    const file = randomUUID();
    await env.sql(
      `insert into stored_file (id, sha256, size, mime_type, name, uploaded_by_id) values ($1, repeat('1', 64), 1, 'application/pdf', 'y.pdf', $2)`,
      [file, accounts[0].id],
    );
    for (let i = 0; i < 60; i++) {
      const drafter = accounts[i % accounts.length];
      const keeping = ids.find((u) => u.id === drafter.unit_id)!;
      const keepingUnit = keeping.kind === 'DEPARTMENT' ? keeping.parent_id! : keeping.id;
      const doc = randomUUID();
      await env.sql(
        `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, drafting_unit_id, drafter_id, version, draft_file_id)
         values ($1, 'OUTGOING', 'TB', 'Sinh tự động', $2, $3, $4, $5, $6, $5, 1, $7)`,
        [doc, `Thông báo ${i}`, keepingUnit, ['ISSUED', 'RECALLED', 'DRAFT', 'SIGNED'][i % 4], drafter.id, drafter.unit_id, file],
      );
      for (let j = 0; j < i % 3; j++)
        await env.sql(`insert into outgoing_recipient (id, document_id, unit_id, delivery_state, ordinal) values ($1, $2, $3, 'DELIVERED', $4)`, [
          randomUUID(),
          doc,
          departments[(i + j) % departments.length].id,
          j + 1,
        ]);
    }
    // And incoming documents with assignments, through the API.
    await assigned(true);
    await assigned(false);
  }, 120_000);

  const added: CustomRule[] = [
    { action: 'read', subject: 'IncomingDocument', condition: ConditionKind.OWN_KEEPING_UNIT, inverted: false },
    { action: 'read', subject: 'OutgoingDocument', condition: ConditionKind.DRAFTED_BY_ME, inverted: true },
    { action: 'read', subject: 'IncomingDocument', condition: ConditionKind.OWN_DEPARTMENT, inverted: true },
    { action: 'read', subject: 'OutgoingDocument', condition: ConditionKind.OWN_UNIT, inverted: false },
  ];
  const everyone: Array<[string, string, CustomRule[]]> = [...Object.entries(DEMO), ['admin', ADMIN_USERNAME]].flatMap(([who, username]) => [
    [who, username, []] as [string, string, CustomRule[]],
    [`${who} with added rules`, username, added] as [string, string, CustomRule[]],
  ]);

  it.each(everyone)('for %s', async (_who, username, custom) => {
    const em = env.orm.em.fork();
    const account = await em.findOneOrFail(Account, { username });
    const ability = defineAbilityFor(await viewerOf({ em, app: env.server.app } as unknown as Context, account), custom);
    const db = new Set((await em.find(Document, readableWhere({ ability } as Context) as never, { fields: ['id'] })).map((d) => d.id));
    const all = (await env.sql<{ id: string }>(`select id from document`)).map((r) => r.id);
    const facts = await loadDocumentFacts(em, all);
    const plan = readPlan(ability);
    expect(plan.exact).toBe(true);
    const memory = new Set(all.filter((id) => readableBy(ability, plan, facts.get(id)!)));
    expect(facts.size).toBe(all.length);
    expect([...memory].filter((id) => !db.has(id))).toEqual([]);
    expect([...db].filter((id) => !memory.has(id))).toEqual([]);
  });

  it('covers documents read through recipients and through assignments', async () => {
    const [{ n }] = await env.sql<{ n: string }>(`select count(distinct document_id)::text as n from outgoing_recipient`);
    expect(Number(n)).toBeGreaterThanOrEqual(30);
    const em = env.orm.em.fork();
    const account = await em.findOneOrFail(Account, { username: DEMO.staff });
    const ability = defineAbilityFor(await viewerOf({ em, app: env.server.app } as unknown as Context, account));
    const db = await em.find(Document, readableWhere({ ability } as Context), { fields: ['id', 'direction'] });
    expect(db.some((d) => d.direction === 'INCOMING')).toBe(true);
  });
});

describe('who is woken for an event (the audience index)', () => {
  it('a subscriber whose rules cannot concern a document is not woken for its events, and still receives the next event of its own', async () => {
    const mine = await assigned(true);
    const sub = collect<Ev>(env.ws(staff.token), EVENTS, { after: await streamPosition(staff) });
    await mark(sub, mine.child!, 'mốc đầu');
    const before = env.server.liveAudience();
    // Received by the clerk, registered: nothing of it is the staff member's.
    const other = await receive(env, clerk, { registerNow: true, subject: 'Văn bản không liên quan' });
    const items = await mark(sub, mine.child!, 'mốc sau');
    const after = env.server.liveAudience();
    expect(ofDocument(items, other.id)).toEqual([]);
    // The reception and the registration were passed over for this subscriber (the only one open); its own marker woke it.
    expect(after.passedOver - before.passedOver).toBeGreaterThanOrEqual(1);
    expect(after.woken - before.woken).toBeGreaterThanOrEqual(1);
    sub.stop();
  });
});

describe('who receives the next event', () => {
  it('a rule granted to a subscriber, then removed, changes which events of a document reach it', async () => {
    const mine = await assigned(true);
    const sub = collect<Ev>(env.ws(staff.token), EVENTS, { after: await streamPosition(staff) });
    const other = await receive(env, clerk, { registerNow: true, subject: 'Văn bản của sở, không giao ai' });
    let items = await mark(sub, mine.child!, 'mốc 1');
    expect(ofDocument(items, other.id)).toEqual([]);

    const { addPermissionRule } = await admin.ok(AddPermissionRuleDocument, {
      input: { accountId: staffId, action: 'read', subject: 'IncomingDocument', condition: 'OWN_KEEPING_UNIT', reason: 'Thử: đọc văn bản đến của sở' },
    });
    await clerk.ok(SubmitDocumentsDocument, { ids: [other.id] });
    items = await mark(sub, mine.child!, 'mốc 2');
    expect(ofDocument(items, other.id)).toEqual(['SUBMITTED']);

    await admin.ok(RemovePermissionRuleDocument, { id: addPermissionRule.id, reason: 'Kết thúc thử' });
    await director.ok(AssignDocumentDocument, {
      id: other.id,
      input: { instruction: 'Giao phòng khác.', lead: { unitId: units['QLHĐXD'], deadline: '2027-12-10' } },
    });
    items = await mark(sub, mine.child!, 'mốc 3');
    expect(ofDocument(items, other.id)).toEqual(['SUBMITTED']);
    sub.stop();
  });

  it('a new assignment makes the assignee receive the next events of the document, and not those before', async () => {
    const mine = await assigned(true);
    const later = await assigned(false);
    const sub = collect<Ev>(env.ws(staff.token), EVENTS, { after: await streamPosition(staff) });
    await head.ok(RecordProgressLiteDocument, { assignmentId: later.lead, note: 'Phòng bắt đầu.' });
    let items = await mark(sub, mine.child!, 'mốc A');
    expect(ofDocument(items, later.id)).toEqual([]);
    const child = await later.delegate();
    await staff.ok(RecordProgressLiteDocument, { assignmentId: child, note: 'Tôi nhận việc.' });
    items = await mark(sub, mine.child!, 'mốc B');
    const notes = items.filter((e) => e.routingEvents.document?.id === later.id).map((e) => e.routingEvents.note);
    expect(notes).toContain('Tôi nhận việc.');
    expect(notes).not.toContain('Phòng bắt đầu.');
    sub.stop();
  });

  it('a subscriber resumed from a cursor gets exactly what it got live, under the same permissions', async () => {
    const mine = await assigned(true);
    const start = await streamPosition(staff);
    const live = collect<Ev>(env.ws(staff.token), EVENTS, { after: start });
    const notMine = await assigned(false);
    await head.ok(RecordProgressLiteDocument, { assignmentId: notMine.lead, note: 'Không phải của tôi.' });
    await staff.ok(RecordProgressLiteDocument, { assignmentId: mine.child!, note: 'Một.' });
    await receive(env, clerk, { registerNow: true });
    const got = await mark(live, mine.child!, 'mốc cuối');
    live.stop();
    const ids = got.map((e) => e.routingEvents.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);

    const again = collect<Ev>(env.ws(staff.token), EVENTS, { after: start });
    await again.waitFor(ids.length);
    expect(again.items.slice(0, ids.length).map((e) => e.routingEvents.id)).toEqual(ids);
    again.stop();

    const fromMiddle = collect<Ev>(env.ws(staff.token), EVENTS, { after: got[0].routingEvents.cursor });
    await fromMiddle.waitFor(ids.length - 1);
    expect(fromMiddle.items.slice(0, ids.length - 1).map((e) => e.routingEvents.id)).toEqual(ids.slice(1));
    fromMiddle.stop();
  });
});
