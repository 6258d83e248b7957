import { subject } from '@casl/ability';
import { randomUUID } from 'node:crypto';
import { Account, Document } from '../../entities';
import type { Context } from '../../src/context';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import { ConditionKind, type CustomRule } from '../../src/domain/permissions/custom-rules';
import { readableWhere } from '../../src/services/document-query.service';
import { viewerOf } from '../../src/services/permission.service';
import {
  AccountsDocument,
  AddPermissionRuleDocument,
  ApproveDraftDocument,
  AssignDocumentDocument,
  AssignmentInstructionDocument,
  DelegateAuthorityDocument,
  DocumentsDocument,
  EffectivePermissionsDocument,
  MyPermissionsDocument,
  PermissionHistoryDocument,
  RemovePermissionRuleDocument,
  RolePermissionsDocument,
  SignAsDeputyDocument,
  SubmitDocumentsDocument,
  SubmitDraftDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { draft } from '../helpers/outgoing';

let env: TestEnv;
let admin: ApiClient;
let units: Record<string, string>;
const key = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  admin = await env.as(ADMIN_USERNAME);
  units = await unitIds(admin);
});
afterAll(() => env?.close());

/** 1,200 documents and their assignments across the agency, its departments and both centres, generated in SQL. */
async function generate() {
  const ids = await env.sql<{ id: string; kind: string; parent_id: string | null }>(`select id, kind, parent_id from unit`);
  const keeping = ids.filter((u) => u.kind !== 'DEPARTMENT');
  const accounts = await env.sql<{ id: string; unit_id: string }>(`select id, unit_id from account`);
  const creator = accounts[0].id;
  const states = {
    INCOMING: ['RECEIVED', 'REGISTERED', 'SUBMITTED', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED'],
    OUTGOING: ['DRAFT', 'IN_REVIEW', 'AWAITING_SIGNATURE', 'SIGNED', 'ISSUED'],
  };
  // mulberry32, fixed seed: the same data every run.
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const file = randomUUID();
  await env.sql(`insert into stored_file (id, sha256, size, mime_type, name, uploaded_by_id) values ($1, repeat('0', 64), 1, 'application/pdf', 'x.pdf', $2)`, [
    file,
    creator,
  ]);
  for (let i = 0; i < 1200; i++) {
    const k = keeping[rnd(keeping.length)];
    const members = ids.filter((u) => u.id === k.id || u.parent_id === k.id);
    const inUnit = accounts.filter((a) => members.some((m) => m.id === a.unit_id));
    const direction = rnd(3) === 0 ? 'OUTGOING' : 'INCOMING';
    const state = states[direction as 'INCOMING'][rnd(states[direction as 'INCOMING'].length)];
    const doc = randomUUID();
    const drafter = inUnit.length ? inUnit[rnd(inUnit.length)] : accounts[0];
    await env.sql(
      `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, drafting_unit_id, drafter_id, version, draft_file_id)
       values ($1, $2, 'CV', 'Sinh tự động', $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        doc,
        direction,
        `Văn bản ${i}`,
        k.id,
        state,
        creator,
        direction === 'OUTGOING' ? drafter.unit_id : null,
        direction === 'OUTGOING' ? drafter.id : null,
        direction === 'OUTGOING' ? 1 : null,
        direction === 'OUTGOING' ? file : null,
      ],
    );
    if (direction === 'INCOMING') {
      for (let j = rnd(4); j > 0; j--) {
        const toPerson = rnd(2) === 0 && inUnit.length;
        const person = toPerson ? inUnit[rnd(inUnit.length)] : null;
        const unit = person ? person.unit_id : members[rnd(members.length)].id;
        await env.sql(
          `insert into assignment (id, document_id, role, assignee_unit_id, assignee_id, scope_unit_id, assigned_by_id, state, active)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            randomUUID(),
            doc,
            ['LEAD', 'COOPERATE', 'INFORM'][rnd(3)],
            person ? null : unit,
            person?.id ?? null,
            unit,
            creator,
            ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'RETURNED'][rnd(4)],
            rnd(5) !== 0,
          ],
        );
      }
    }
  }
}

/** Compares, for one account, the rows the database filter returns with the rows CASL allows in memory. */
async function disagreements(username: string, custom: CustomRule[]): Promise<{ db: number; memory: number; differ: number }> {
  const em = env.orm.em.fork();
  const account = await em.findOneOrFail(Account, { username });
  const viewer = await viewerOf({ em, app: env.server.app } as unknown as Context, account);
  const ability = defineAbilityFor(viewer, custom);
  const db = new Set((await em.find(Document, readableWhere({ ability } as Context) as never, { fields: ['id'] })).map((d) => d.id));
  const docs = await env.sql<{
    id: string;
    direction: string;
    keeping_unit_id: string;
    drafting_unit_id: string | null;
    drafter_id: string | null;
    state: string;
  }>(`select id, direction, keeping_unit_id, drafting_unit_id, drafter_id, state from document`);
  const assignments = await env.sql<{
    document_id: string;
    assignee_id: string | null;
    scope_unit_id: string;
    assignee_unit_id: string | null;
    active: boolean;
  }>(`select document_id, assignee_id, scope_unit_id, assignee_unit_id, active from assignment`);
  const byDoc = new Map<string, typeof assignments>();
  for (const a of assignments) byDoc.set(a.document_id, [...(byDoc.get(a.document_id) ?? []), a]);
  let differ = 0;
  let memory = 0;
  for (const d of docs) {
    const facts =
      d.direction === 'INCOMING'
        ? subject('IncomingDocument', {
            keepingUnit: d.keeping_unit_id,
            assignments: (byDoc.get(d.id) ?? []).map((a) => ({
              assignee: a.assignee_id,
              scopeUnit: a.scope_unit_id,
              assigneeUnit: a.assignee_unit_id,
              active: a.active,
            })),
          })
        : subject('OutgoingDocument', { keepingUnit: d.keeping_unit_id, draftingUnit: d.drafting_unit_id, drafter: d.drafter_id, state: d.state });
    const allowed = ability.can('read', facts as never);
    if (allowed) memory++;
    if (allowed !== db.has(d.id)) differ++;
  }
  return { db: db.size, memory, differ };
}

describe('the database filter and CASL agree (differential test)', () => {
  const everyone: Array<[string, string]> = [...Object.entries(DEMO), ['admin', ADMIN_USERNAME]];
  const added: CustomRule[] = [
    { action: 'read', subject: 'IncomingDocument', condition: ConditionKind.OWN_KEEPING_UNIT, inverted: false },
    { action: 'read', subject: 'OutgoingDocument', condition: ConditionKind.DRAFTED_BY_ME, inverted: true },
    { action: 'read', subject: 'IncomingDocument', condition: ConditionKind.OWN_DEPARTMENT, inverted: true },
    { action: 'read', subject: 'OutgoingDocument', condition: ConditionKind.OWN_UNIT, inverted: false },
  ];

  beforeAll(async () => {
    await generate();
    const [{ n }] = await env.sql<{ n: string }>(`select count(*)::text as n from document`);
    if (Number(n) < 1000) throw new Error(`generated only ${n} documents`);
  }, 120_000);

  it.each(everyone)('for %s under the role defaults', async (_who, username) => {
    const r = await disagreements(username, []);
    expect(r.differ).toBe(0);
    expect(r.db).toBe(r.memory);
  });

  it.each(everyone)('for %s under added allow and deny rules', async (_who, username) => {
    const r = await disagreements(username, added);
    expect(r.differ).toBe(0);
  });

  it('covers enough rows to mean something', async () => {
    const [{ n }] = await env.sql<{ n: string }>(`select count(*)::text as n from document`);
    const [{ a }] = await env.sql<{ a: string }>(`select count(*)::text as a from assignment`);
    expect(Number(n)).toBeGreaterThanOrEqual(1000);
    expect(Number(a)).toBeGreaterThanOrEqual(1000);
    const director = await disagreements(DEMO.director, []);
    const staff = await disagreements(DEMO.staff, []);
    expect(director.db).toBeGreaterThan(100);
    expect(staff.db).toBeGreaterThan(0);
    expect(staff.db).toBeLessThan(director.db);
  });
});

describe('rules administrators manage', () => {
  it('a grant and a revocation take effect on the next request on a second server process', async () => {
    const peer = await env.startPeer();
    const staff = await env.as(DEMO.centreStaff);
    const onPeer = peer.client(staff.token);
    const before = (await onPeer.ok(DocumentsDocument, { first: 100 })).documents.totalCount;
    const { addPermissionRule } = await admin.ok(AddPermissionRuleDocument, {
      input: {
        role: 'STAFF',
        action: 'read',
        subject: 'IncomingDocument',
        condition: 'OWN_KEEPING_UNIT',
        reason: 'Thử nghiệm: nhân viên đọc văn bản đến của đơn vị',
      },
    });
    const during = (await onPeer.ok(DocumentsDocument, { first: 100 })).documents.totalCount;
    expect(during).toBeGreaterThan(before);
    expect((await onPeer.ok(MyPermissionsDocument)).myPermissions).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'read', subject: 'IncomingDocument' })]),
    );
    await admin.ok(RemovePermissionRuleDocument, { id: addPermissionRule.id, reason: 'Kết thúc thử nghiệm' });
    expect((await onPeer.ok(DocumentsDocument, { first: 100 })).documents.totalCount).toBe(before);
    const history = (await admin.ok(PermissionHistoryDocument)).permissionHistory.edges.map((e) => [e.node.change, e.node.reason, e.node.actor.username]);
    expect(history.slice(0, 2)).toEqual([
      ['REMOVED', 'Kết thúc thử nghiệm', ADMIN_USERNAME],
      ['ADDED', 'Thử nghiệm: nhân viên đọc văn bản đến của đơn vị', ADMIN_USERNAME],
    ]);
  });

  it('refuses conditions outside the vocabulary, document content for SYSADMIN, and locking administration out', async () => {
    const base = { role: 'STAFF' as const, action: 'read', subject: 'IncomingDocument', condition: 'ANY' as const, reason: 'thử' };
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, subject: 'Secrets' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, action: 'drop' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, condition: 'DRAFTED_BY_ME' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, fields: ['password'] } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, reason: '' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, role: 'SYSADMIN' } })).toBe('GRANT_REFUSED');
    expect(await admin.code(AddPermissionRuleDocument, { input: { ...base, role: 'SYSADMIN', subject: 'Account', action: 'create', inverted: true } })).toBe(
      'LOCKOUT_REFUSED',
    );
    const staff = await env.as(DEMO.staff);
    expect(await staff.code(AddPermissionRuleDocument, { input: base })).toBe('FORBIDDEN');
    // Only the demo's default rule for the head of the Office (agency-wide reports) is in force.
    const inForce = await env.sql(`select role, subject, condition from permission_rule where revoked_at is null`);
    expect(inForce).toEqual([{ role: 'HEAD', subject: 'Report', condition: 'OWN_AGENCY' }]);
  });

  it('lets SYSADMIN read any account’s effective rules', async () => {
    const id = (await admin.ok(AccountsDocument, { filter: { text: DEMO.clerk } })).accounts.edges[0].node.id;
    const rules = (await admin.ok(EffectivePermissionsDocument, { accountId: id })).effectivePermissions;
    expect(rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'read', subject: 'IncomingDocument', conditions: { keepingUnit: key(units['SXD']) } })]),
    );
  });

  it('lets SYSADMIN read a role’s effective rules, with placeholders for each account’s own values', async () => {
    const rules = (await admin.ok(RolePermissionsDocument, { role: 'STAFF' })).rolePermissions;
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'read', subject: 'OutgoingDocument', conditions: { drafter: '$ME' } })]));
    expect(rules.some((r) => r.subject === 'IncomingDocument' && r.action === 'register')).toBe(false);
    expect(await (await env.as(DEMO.director)).code(RolePermissionsDocument, { role: 'STAFF' })).toBe('FORBIDDEN');
  });

  it('hides a field a rule keeps from a reader, as null without an error', async () => {
    const [clerk, director, head] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director), env.as(DEMO.head)]);
    const d = await receive(env, clerk, { registerNow: true });
    await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
    await director.ok(AssignDocumentDocument, {
      id: d.id,
      input: { instruction: 'Ý kiến chỉ đạo riêng.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-20' } },
    });
    const { addPermissionRule } = await admin.ok(AddPermissionRuleDocument, {
      input: {
        role: 'HEAD',
        action: 'read',
        subject: 'Assignment',
        condition: 'ANY',
        fields: ['instruction'],
        inverted: true,
        reason: 'Ý kiến chỉ đạo chỉ lãnh đạo xem',
      },
    });
    const hidden = await head.request(AssignmentInstructionDocument, { id: d.id });
    expect(hidden.errors).toBeUndefined();
    expect((hidden.data!.document as { assignments: { instruction: string | null }[] }).assignments[0].instruction).toBeNull();
    const shown = (await director.ok(AssignmentInstructionDocument, { id: d.id })).document as { assignments: { instruction: string | null }[] };
    expect(shown.assignments[0].instruction).toBe('Ý kiến chỉ đạo riêng.');
    await admin.ok(RemovePermissionRuleDocument, { id: addPermissionRule.id, reason: 'Xong' });
    expect(
      ((await head.ok(AssignmentInstructionDocument, { id: d.id })).document as { assignments: { instruction: string | null }[] }).assignments[0].instruction,
    ).toBe('Ý kiến chỉ đạo riêng.');
  });
});

describe('delegation (ủy quyền)', () => {
  it('lets the head of a department sign for the director inside the range, as "TUQ. GIÁM ĐỐC" (a dated authorisation), and not outside it', async () => {
    const [director, head, staff] = await Promise.all([env.as(DEMO.director), env.as(DEMO.head), env.as(DEMO.staff)]);
    const headId = (await director.ok(AccountsDocument, { filter: { text: DEMO.head } })).accounts.edges[0].node.id;
    const { delegateAuthority } = await director.ok(DelegateAuthorityDocument, {
      input: { accountId: headId, right: 'SIGN', startDate: '2026-11-26', endDate: '2026-11-27', reason: 'Giám đốc đi công tác' },
    });
    expect(delegateAuthority).toMatchObject({ right: 'SIGN', fromAccount: { username: DEMO.director }, toAccount: { username: DEMO.head } });
    const awaiting = async () => {
      const d = await draft(env, staff);
      await staff.ok(SubmitDraftDocument, { id: d.id });
      await head.ok(ApproveDraftDocument, { id: d.id });
      return d.id;
    };
    const inside = await awaiting();
    const later = await awaiting();
    const signed = (await (await env.as(DEMO.head)).ok(SignAsDeputyDocument, { id: inside })).signDocument;
    expect(signed).toMatchObject({
      state: 'SIGNED',
      signer: { username: DEMO.head },
      signedOnBehalfOf: { username: DEMO.director },
      signatureAuthority: 'TUQ. GIÁM ĐỐC',
      signerPosition: 'Trưởng phòng',
    });
    // Two days later the delegation has ended on its own.
    env.clock.set(new Date('2026-11-28T01:30:00Z'));
    try {
      const deputy = await env.as(DEMO.head);
      expect(await deputy.code(SignAsDeputyDocument, { id: later })).toBe('FORBIDDEN');
      // Before its first day it does not work either.
      const early = await (
        await env.as(DEMO.director)
      ).request(DelegateAuthorityDocument, { input: { accountId: headId, right: 'SIGN', startDate: '2026-12-01', endDate: '2026-12-02' } });
      expect(early.errors).toBeUndefined();
      expect(await (await env.as(DEMO.head)).code(SignAsDeputyDocument, { id: later })).toBe('FORBIDDEN');
    } finally {
      env.clock.set(new Date('2026-11-26T01:30:00Z'));
    }
    // Staff cannot delegate what they do not hold.
    expect(await staff.code(DelegateAuthorityDocument, { input: { accountId: headId, right: 'SIGN', startDate: '2026-11-26', endDate: '2026-11-27' } })).toBe(
      'FORBIDDEN',
    );
  });
});
