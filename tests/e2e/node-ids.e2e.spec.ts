import { AccountsDocument, DelegateAuthorityDocument, NodeKindDocument, OfficeRulesDocument, ReportIncidentDocument } from '../generated/graphql';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

// Issue 16, item 4: the kinds of global id are written once, and node(id) decides every one of them
// under the same rule as the object's own query: a rule, a delegation and an incident are fetched
// again by whoever may list them, and by nobody else.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());

const kindOf = async (as: string, id: string) => (await (await env.as(as)).ok(NodeKindDocument, { id })).node?.__typename ?? null;

describe('node(id) for every kind of global id', () => {
  it('fetches an administrator’s rule for the SYSADMIN only', async () => {
    const { permissionRules } = await (await env.as(DEMO.sysadmin)).ok(OfficeRulesDocument, {});
    expect(permissionRules.length).toBeGreaterThan(0);
    const id = permissionRules[0].id;
    expect(await kindOf(DEMO.sysadmin, id)).toBe('PermissionGrant');
    for (const who of [DEMO.director, DEMO.clerk, DEMO.staff]) expect(await kindOf(who, id)).toBeNull();
  });

  it('fetches a delegation for the two people it joins only', async () => {
    const director = await env.as(DEMO.director);
    const headId = (await director.ok(AccountsDocument, { filter: { text: DEMO.head } })).accounts.edges[0].node.id;
    const { delegateAuthority } = await director.ok(DelegateAuthorityDocument, {
      input: { accountId: headId, right: 'SIGN', startDate: '2026-12-07', endDate: '2026-12-08', reason: 'Giám đốc đi công tác' },
    });
    expect(await kindOf(DEMO.director, delegateAuthority.id)).toBe('Delegation');
    expect(await kindOf(DEMO.head, delegateAuthority.id)).toBe('Delegation');
    for (const who of [DEMO.staff, DEMO.clerk, DEMO.centreDirector]) expect(await kindOf(who, delegateAuthority.id)).toBeNull();
  });

  it('fetches an incident for its reporter and the SYSADMIN of its agency only', async () => {
    const staff = await env.as(DEMO.staff);
    const { reportIncident } = await staff.ok(ReportIncidentDocument, {
      input: { summary: 'Không tải được danh sách văn bản', occurredAt: new Date(env.clock.now().getTime() - 60_000).toISOString(), screen: 'Hộp văn bản' },
    });
    expect(await kindOf(DEMO.staff, reportIncident.id)).toBe('Incident');
    expect(await kindOf(DEMO.sysadmin, reportIncident.id)).toBe('Incident');
    for (const who of [DEMO.head, DEMO.director, DEMO.centreStaff]) expect(await kindOf(who, reportIncident.id)).toBeNull();
  });
});
