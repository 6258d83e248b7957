import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType } from 'graphql';
import WebSocket from 'ws';
import {
  AccountsDocument,
  ApproveDraftDocument,
  AssignDocumentDocument,
  CompleteAssignmentDocument,
  CreateDraftDocument,
  DelegateAssignmentDocument,
  DocumentDocument,
  InboxCountsChangedDocument,
  InboxCountsDocument,
  InboxDocument,
  IssueDocumentDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  RecallDocumentDocument,
  ReceiveDocumentDocument,
  RecordProgressDocument,
  RegisterDocumentDocument,
  RejectDocumentDocument,
  ReturnAssignmentDocument,
  ReturnDraftDocument,
  ReviseDraftDocument,
  RoutingEventsDocument,
  SignDocumentDocument,
  StartAssignmentDocument,
  SubmitDocumentsDocument,
  SubmitDraftDocument,
  UnitsDocument,
  VpdtError,
  createVpdtClient,
  type DocumentState,
  type ReceiveDocumentInput,
  type RoutingEventFieldsFragment,
  type RoutingEventType,
  type Sink,
  type VpdtClient,
} from '../../client/src';
import { pdf } from '../helpers/documents';
import { DEMO, DEMO_PASSWORD, startTestEnv, type TestEnv } from '../helpers/env';

// The client package as a frontend uses it: its own fetch and graphql-ws, typed documents
// generated from client/operations, nothing from the tests' helpers on the wire.

let env: TestEnv;
const opened: VpdtClient[] = [];

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.dispose()));
  await env?.close();
});

/** A client signed in as `username`, the way an application does it. */
async function signIn(username: string): Promise<VpdtClient> {
  const api = createVpdtClient({ url: env.server.url, webSocketImpl: WebSocket, ws: { retryAttempts: 0 } });
  opened.push(api);
  const { login } = await api.request(LoginDocument, { username, password: DEMO_PASSWORD });
  api.setToken(login.token);
  return api;
}

/** Collects what a subscription delivers; `until` resolves once a delivered item passes the test. */
function listen<T>(api: VpdtClient, start: (sink: Sink<T>) => () => void) {
  const items: T[] = [];
  const errors: unknown[] = [];
  const waiters: Array<{ test: (t: T) => boolean; resolve: (t: T) => void }> = [];
  const stop = start({
    next: (t) => {
      items.push(t);
      for (const w of [...waiters]) {
        if (!w.test(t)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(t);
      }
    },
    error: (e) => errors.push(e),
  });
  const until = (test: (t: T) => boolean, ms = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const found = items.find(test);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`not delivered within ${ms} ms; got ${JSON.stringify(items)}, errors ${JSON.stringify(errors)}`)), ms);
      waiters.push({ test, resolve: (t) => (clearTimeout(timer), resolve(t)) });
    });
  return { items, errors, stop, until, api };
}

const letter = (fileId: string, over: Partial<ReceiveDocumentInput> = {}): ReceiveDocumentInput => ({
  documentTypeCode: 'CV',
  number: '1234',
  symbol: 'UBND-KT',
  issuedDate: '2026-11-20',
  issuer: 'Ủy ban nhân dân tỉnh Bình Định',
  subject: 'V/v triển khai thực hiện Nghị định số 06/2021/NĐ-CP về quản lý chất lượng công trình xây dựng',
  attachmentIds: [fileId],
  ...over,
});

async function receiveWith(api: VpdtClient, over: Partial<ReceiveDocumentInput> = {}) {
  const file = await api.upload(new Blob([pdf()]), 'cong-van.pdf');
  return (await api.request(ReceiveDocumentDocument, { input: letter(file.id, over) })).receiveDocument;
}

async function history(api: VpdtClient, id: string): Promise<RoutingEventFieldsFragment[]> {
  const { document } = await api.request(DocumentDocument, { id });
  if (!document) throw new Error(`document ${id} not readable`);
  return document.history.edges.map((e) => e.node);
}

describe('the typed client package (client/)', () => {
  it('signs in, reads the inbox, receives a document and sees its routing event and the count change arrive over graphql-ws', async () => {
    const anonymous = createVpdtClient({ url: env.server.url, webSocketImpl: WebSocket });
    opened.push(anonymous);
    const refused = await anonymous.request(MeDocument).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(VpdtError);
    expect((refused as VpdtError).code).toBe('UNAUTHENTICATED');

    const clerk = await signIn(DEMO.clerk);
    const { me } = await clerk.request(MeDocument);
    expect(me).toMatchObject({ username: DEMO.clerk, unit: { shortName: 'VP' } });
    expect(me.roles).toEqual(expect.arrayContaining(['CLERK']));
    const before = (await clerk.request(InboxDocument, { view: 'TO_REGISTER', first: 50 })).inbox;
    const { inboxCounts } = await clerk.request(InboxCountsDocument);
    expect(inboxCounts.TO_REGISTER).toBe(before.totalCount);

    // A starting point that no later commit can precede: the last event of a document received now.
    const first = await receiveWith(clerk, { subject: 'Mốc bắt đầu theo dõi' });
    const from = (await history(clerk, first.id)).at(-1)!.cursor;
    const events = listen<{ routingEvents: RoutingEventFieldsFragment }>(clerk, (sink) =>
      clerk.subscribe(RoutingEventsDocument, { after: from, filter: { types: ['RECEIVED', 'REGISTERED'] } }, sink),
    );
    const counts = listen<{ inboxCountsChanged: { TO_REGISTER: number } }>(clerk, (sink) => clerk.subscribe(InboxCountsChangedDocument, undefined, sink));
    const initial = (await counts.until(() => true)).inboxCountsChanged.TO_REGISTER;

    const doc = await receiveWith(clerk, { subject: 'V/v báo cáo tình hình cấp phép xây dựng quý IV' });
    expect(doc.state).toBe('RECEIVED');
    const received = await events.until((e) => e.routingEvents.document?.id === doc.id);
    // Typed as the schema's enums: assignments to the generated unions compile.
    const type: RoutingEventType = received.routingEvents.type;
    const toState: DocumentState | null | undefined = received.routingEvents.toState;
    expect([type, received.routingEvents.fromState, toState]).toEqual(['RECEIVED', null, 'RECEIVED']);
    expect(received.routingEvents.actor?.username).toBe(DEMO.clerk);
    expect((await counts.until((c) => c.inboxCountsChanged.TO_REGISTER === initial + 1)).inboxCountsChanged.TO_REGISTER).toBe(initial + 1);

    await clerk.request(RegisterDocumentDocument, { id: doc.id });
    const registered = await events.until((e) => e.routingEvents.document?.id === doc.id && e.routingEvents.type === 'REGISTERED');
    expect([registered.routingEvents.fromState, registered.routingEvents.toState]).toEqual(['RECEIVED', 'REGISTERED']);
    expect(events.errors).toEqual([]);
    // Only what the filter asked for, each once, in order.
    expect(events.items.map((e) => [e.routingEvents.document?.id, e.routingEvents.type])).toEqual([
      [doc.id, 'RECEIVED'],
      [doc.id, 'REGISTERED'],
    ]);
    events.stop();
    counts.stop();

    // A SYSADMIN reads accounts through the same client.
    const admin = await signIn(DEMO.sysadmin);
    const { accounts } = await admin.request(AccountsDocument, { filter: { text: 'sxd.binhdinh.gov.vn' }, first: 20 });
    expect(accounts.edges.map((e) => e.node.username)).toEqual(expect.arrayContaining([DEMO.clerk, DEMO.director]));
    expect(accounts.totalCount).toBeGreaterThanOrEqual(9);

    // Signing out ends the session: the next request is refused.
    await clerk.request(LogoutDocument);
    const after = await clerk.request(MeDocument).catch((e: unknown) => e);
    expect((after as VpdtError).code).toBe('UNAUTHENTICATED');
  });

  it('takes documents through every role’s path; every type and state in routing_event is a value of the schema’s enums and reads back through GraphQL', async () => {
    const [clerk, director, head, staff, centreClerk] = await Promise.all([
      signIn(DEMO.clerk),
      signIn(DEMO.director),
      signIn(DEMO.head),
      signIn(DEMO.staff),
      signIn(DEMO.centreClerk),
    ]);
    const units = Object.fromEntries((await director.request(UnitsDocument)).units.map((u) => [u.shortName, u.id]));
    const staffId = (await staff.request(MeDocument)).me.id;

    // Incoming: rejected, and received → registered → submitted → assigned → delegated → progress → returned → delegated → started → completed.
    const wrong = await receiveWith(clerk, { subject: 'Gửi nhầm cơ quan' });
    await clerk.request(RejectDocumentDocument, { id: wrong.id, reason: 'Văn bản gửi nhầm cơ quan.' });
    const inc = await receiveWith(clerk, { registerNow: true });
    await clerk.request(SubmitDocumentsDocument, { ids: [inc.id] });
    const assigned = (
      await director.request(AssignDocumentDocument, {
        id: inc.id,
        input: { instruction: 'Giao Phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2027-12-10' } },
      })
    ).assignDocument;
    const lead = assigned.assignments.find((a) => a.role === 'LEAD')!.id;
    const one = (await head.request(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: staffId, deadline: '2027-12-05' } }))
      .delegateAssignment.id;
    await staff.request(RecordProgressDocument, { assignmentId: one, note: 'Đã làm việc với chủ đầu tư.' });
    await staff.request(ReturnAssignmentDocument, { assignmentId: one, reason: 'Đề nghị giao người khác.' });
    const two = (await head.request(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: staffId, deadline: '2027-12-05' } }))
      .delegateAssignment.id;
    await staff.request(StartAssignmentDocument, { assignmentId: two });
    const done = (await staff.request(CompleteAssignmentDocument, { assignmentId: two, input: { result: 'Đã trả lời.' } })).completeAssignment;
    expect(done.document?.state).toBe('COMPLETED');

    // Outgoing: drafted → returned → revised → submitted → approved → signed → issued to the centre → recalled.
    const file = await staff.upload(new Blob([pdf()]), 'du-thao.pdf');
    const input = {
      documentTypeCode: 'CV',
      subject: 'V/v góp ý dự thảo quy định phân cấp quản lý',
      fileId: file.id,
      recipientUnitIds: [units['TTQHKĐ']],
      signerPosition: 'Giám đốc',
    };
    const out = (await staff.request(CreateDraftDocument, { input })).createDraft;
    await staff.request(SubmitDraftDocument, { id: out.id });
    await head.request(ReturnDraftDocument, { id: out.id, reason: 'Bổ sung căn cứ pháp lý.' });
    const file2 = await staff.upload(new Blob([pdf()]), 'du-thao-v2.pdf');
    await staff.request(ReviseDraftDocument, { id: out.id, input: { ...input, fileId: file2.id } });
    await staff.request(SubmitDraftDocument, { id: out.id });
    await head.request(ApproveDraftDocument, { id: out.id });
    await director.request(SignDocumentDocument, { id: out.id });
    const scan = await clerk.upload(new Blob([pdf()]), 'ban-ky.pdf');
    const issued = (await clerk.request(IssueDocumentDocument, { id: out.id, input: { signedFileId: scan.id } })).issueDocument;
    expect(issued.state).toBe('ISSUED');
    const copies = (await centreClerk.request(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id);
    expect(copies).toHaveLength(1);
    await centreClerk.request(RegisterDocumentDocument, { id: copies[0] });
    expect((await clerk.request(RecallDocumentDocument, { id: out.id, reason: 'Thay đổi nội dung.' })).recallDocument.state).toBe('RECALLED');

    // Every value the database now holds is a value of the published enums…
    const schema = buildSchema(readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
    const valuesOf = (name: string) => {
      const t = schema.getType(name);
      if (!isEnumType(t)) throw new Error(`${name} is not an enum in schema/schema.graphql`);
      return new Set(t.getValues().map((v) => v.value as string));
    };
    const types = valuesOf('RoutingEventType');
    const states = valuesOf('DocumentState');
    const rows = await env.sql<{ type: string; from_state: string | null; to_state: string | null }>(
      `select distinct type, from_state, to_state from routing_event`,
    );
    const seenTypes = new Set(rows.map((r) => r.type));
    expect([...seenTypes].filter((t) => !types.has(t))).toEqual([]);
    const seenStates = new Set(rows.flatMap((r) => [r.from_state, r.to_state]).filter((s): s is string => s !== null));
    expect([...seenStates].filter((s) => !states.has(s))).toEqual([]);
    // …and the path wrote a wide range of them (so this is not a check of an empty table).
    const walked = [
      'RECEIVED',
      'REJECTED',
      'REGISTERED',
      'SUBMITTED',
      'ASSIGNED',
      'DELEGATED',
      'PROGRESS',
      'RETURNED',
      'STARTED',
      'COMPLETED',
      'DRAFTED',
      'SUBMITTED_FOR_REVIEW',
      'REVISED',
      'APPROVED',
      'SIGNED',
      'ISSUED',
      'RECALLED',
    ];
    expect([...seenTypes]).toEqual(expect.arrayContaining(walked));
    expect(seenStates.size).toBeGreaterThanOrEqual(12);

    // Every event reads back through GraphQL as those enums (an unknown value would be an error there).
    const back = [
      ...(await history(clerk, wrong.id)),
      ...(await history(director, inc.id)),
      ...(await history(clerk, out.id)),
      ...(await history(centreClerk, copies[0])),
    ];
    expect(back.length).toBe(2 + 10 + 9 + 3);
    expect([...new Set(back.map((e) => e.type))]).toEqual(expect.arrayContaining(walked));
  });
});
