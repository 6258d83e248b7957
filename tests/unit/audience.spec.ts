import { Role } from '../../src/domain/accounts/account-rules';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import { ConditionKind, type CustomRule } from '../../src/domain/permissions/custom-rules';
import type { DelegatedRight, Viewer } from '../../src/domain/permissions/viewer';
import { UnitKind } from '../../src/domain/units/unit-rules';
import { factKeys, mayRead, readPlan, readableBy, type DocumentFacts } from '../../src/events/audience';

/**
 * The audience of a live event (src/events/audience.ts) decides, before the exact check, which
 * subscribers can be concerned at all. It must never leave out a subscriber the exact check allows:
 * checked here over every combination of roles, units, delegations, administrators' rules and
 * documents of a small agency.
 */
const AGENCY = 'agency';
const OFFICE = 'office';
const DEPT = 'dept';
const CENTRE = 'centre';
const CENTRE_DEPT = 'centre-dept';
const PEOPLE = ['me', 'other', 'third'];

const place = {
  [OFFICE]: { unitId: OFFICE, unitKind: UnitKind.DEPARTMENT, keepingUnitId: AGENCY, departmentId: OFFICE, inOffice: true },
  [DEPT]: { unitId: DEPT, unitKind: UnitKind.DEPARTMENT, keepingUnitId: AGENCY, departmentId: DEPT, inOffice: false },
  [AGENCY]: { unitId: AGENCY, unitKind: UnitKind.AGENCY, keepingUnitId: AGENCY, departmentId: null, inOffice: false },
  [CENTRE]: { unitId: CENTRE, unitKind: UnitKind.SUBORDINATE, keepingUnitId: CENTRE, departmentId: null, inOffice: false },
  [CENTRE_DEPT]: { unitId: CENTRE_DEPT, unitKind: UnitKind.DEPARTMENT, keepingUnitId: CENTRE, departmentId: CENTRE_DEPT, inOffice: false },
} as const;

function viewer(roles: Role[], unit: keyof typeof place, delegations: DelegatedRight[] = []): Viewer {
  const p = place[unit];
  return {
    accountId: 'me',
    roles,
    ...p,
    keepingUnitMemberIds: p.keepingUnitId === AGENCY ? [AGENCY, OFFICE, DEPT] : [CENTRE, CENTRE_DEPT],
    agencyId: AGENCY,
    delegations,
  };
}

const ROLE_SETS: Role[][] = [[Role.DIRECTOR], [Role.CLERK], [Role.HEAD, Role.STAFF], [Role.HEAD], [Role.STAFF], [Role.SYSADMIN], [Role.CLERK, Role.STAFF], []];
const DELEGATIONS: DelegatedRight[][] = [
  [],
  [{ right: 'SIGN', scopeUnitId: AGENCY, delegationId: 'g1', fromAccountId: 'boss' }],
  [{ right: 'REVIEW', scopeUnitId: DEPT, delegationId: 'g2', fromAccountId: 'head' }],
];
const rule = (subject: 'IncomingDocument' | 'OutgoingDocument', condition: ConditionKind, inverted = false): CustomRule => ({
  action: 'read',
  subject,
  condition,
  inverted,
});
const RULE_SETS: CustomRule[][] = [
  [],
  ...Object.values(ConditionKind).flatMap((c) => [
    [rule('IncomingDocument', c), rule('OutgoingDocument', c)],
    [
      rule('IncomingDocument', ConditionKind.ANY),
      rule('IncomingDocument', c, true),
      rule('OutgoingDocument', ConditionKind.OWN_KEEPING_UNIT),
      rule('OutgoingDocument', c, true),
    ],
  ]),
  [rule('IncomingDocument', ConditionKind.ANY, true), rule('OutgoingDocument', ConditionKind.ANY, true)],
  [{ ...rule('IncomingDocument', ConditionKind.ANY), fields: ['note'] }],
];

function documents(): DocumentFacts[] {
  const out: DocumentFacts[] = [];
  let n = 0;
  const units = [AGENCY, OFFICE, DEPT, CENTRE, CENTRE_DEPT];
  for (const keepingUnit of [AGENCY, CENTRE]) {
    for (const state of ['RECEIVED', 'ASSIGNED']) {
      const assignmentSets: DocumentFacts['assignments'][] = [
        [],
        ...units.flatMap((u) => [
          [{ assignee: null, scopeUnit: u, assigneeUnit: u, active: true }],
          [{ assignee: null, scopeUnit: u, assigneeUnit: u, active: false }],
        ]),
        ...PEOPLE.flatMap((p) => [
          [{ assignee: p, scopeUnit: DEPT, assigneeUnit: null, active: true }],
          [{ assignee: p, scopeUnit: OFFICE, assigneeUnit: null, active: false }],
        ]),
      ];
      for (const assignments of assignmentSets)
        out.push({ id: `d${n++}`, direction: 'INCOMING', keepingUnit, state, draftingUnit: null, drafter: null, assignments, recipients: [] });
    }
    for (const state of ['DRAFT', 'SIGNED', 'ISSUED'])
      for (const draftingUnit of [OFFICE, DEPT, CENTRE_DEPT])
        for (const drafter of ['me', 'other'])
          for (const recipients of [[], [{ unit: DEPT }], [{ unit: OFFICE }, { unit: null }]])
            out.push({ id: `d${n++}`, direction: 'OUTGOING', keepingUnit, state, draftingUnit, drafter, assignments: [], recipients });
  }
  return out;
}

describe('the audience of a live event', () => {
  const docs = documents();

  it('never leaves out a subscriber the exact check allows, and the exact check decides the rest', () => {
    let checked = 0;
    let allowed = 0;
    let outside = 0;
    const wrong: string[] = [];
    for (const roles of ROLE_SETS)
      for (const unit of Object.keys(place) as Array<keyof typeof place>)
        for (const delegations of DELEGATIONS)
          for (const rules of RULE_SETS) {
            const ability = defineAbilityFor(viewer(roles, unit, delegations), rules);
            const plan = readPlan(ability);
            // Every condition of the rule vocabulary can be decided in memory.
            if (!plan.exact) wrong.push(`not exact: ${roles.join('+')} ${unit} ${JSON.stringify(rules)}`);
            for (const d of docs) {
              const exact = mayRead(ability, d);
              const inAudience = plan.any || factKeys(d).some((k) => plan.keys.has(k));
              checked++;
              if (exact) allowed++;
              if (!inAudience) outside++;
              if (exact && !inAudience) wrong.push(`left out: ${roles.join('+')} ${unit} ${JSON.stringify(rules)} ${JSON.stringify(d)}`);
              if (readableBy(ability, plan, d) !== exact) wrong.push(`differs: ${roles.join('+')} ${unit} ${JSON.stringify(d)}`);
            }
          }
    expect(wrong.slice(0, 5)).toEqual([]);
    // The matrix means something: many allowed, and many subscribers the audience skips without a check.
    expect(checked).toBeGreaterThan(200_000);
    expect(allowed).toBeGreaterThan(checked / 20);
    expect(outside).toBeGreaterThan(checked / 10);
  });

  it('a staff member is in the audience of a document only through an active assignment of theirs or a notice to their department', () => {
    const plan = readPlan(defineAbilityFor(viewer([Role.STAFF], DEPT)));
    expect(plan).toMatchObject({ exact: true, any: false });
    const incoming = (assignee: string, active: boolean): DocumentFacts => ({
      id: 'x',
      direction: 'INCOMING',
      keepingUnit: AGENCY,
      state: 'ASSIGNED',
      draftingUnit: null,
      drafter: null,
      assignments: [{ assignee, scopeUnit: OFFICE, assigneeUnit: null, active }],
      recipients: [],
    });
    const ability = defineAbilityFor(viewer([Role.STAFF], DEPT));
    expect(readableBy(ability, plan, incoming('me', true))).toBe(true);
    expect(readableBy(ability, plan, incoming('me', false))).toBe(false);
    expect(readableBy(ability, plan, incoming('other', true))).toBe(false);
    // An administrator's rule changes the plan: every incoming document of the keeping unit becomes a candidate.
    const widened = defineAbilityFor(viewer([Role.STAFF], DEPT), [rule('IncomingDocument', ConditionKind.OWN_KEEPING_UNIT)]);
    expect(readableBy(widened, readPlan(widened), incoming('other', true))).toBe(true);
  });

  it('names an audience by the narrowest field of each rule: people and units, not states shared by most of the stream', () => {
    const states = ['ISSUED', 'RECALLED', 'SIGNED', 'NUMBERED', 'ANNULLED', 'INCOMING', 'OUTGOING'];
    for (const roles of ROLE_SETS) {
      const plan = readPlan(defineAbilityFor(viewer(roles, DEPT)));
      if (plan.any || !plan.exact) continue;
      expect([...plan.keys].filter((k) => states.includes(k))).toEqual([]);
    }
    // A rule on the state alone still names the state: it is the only field it compares.
    const byState = defineAbilityFor(viewer([Role.STAFF], DEPT));
    byState.update([...byState.rules, { action: 'read', subject: 'OutgoingDocument', conditions: { state: 'ISSUED' } }]);
    expect(readPlan(byState).keys.has('ISSUED')).toBe(true);
    // A null among a rule's values matches documents without the field: no audience can be named from it.
    const withNull = defineAbilityFor(viewer([Role.STAFF], DEPT));
    withNull.update([...withNull.rules, { action: 'read', subject: 'OutgoingDocument', conditions: { drafter: { $in: ['me', null] } } }]);
    expect(readPlan(withNull).any).toBe(true);
  });

  it('leaves to the database a subscriber whose rules name something the facts do not carry', () => {
    const ability = defineAbilityFor(viewer([Role.STAFF], DEPT));
    // A condition the rule vocabulary cannot produce today: an unknown field, an operator that is not an equality.
    ability.update([...ability.rules, { action: 'read', subject: 'IncomingDocument', conditions: { subject: 'x' } }]);
    expect(readPlan(ability).exact).toBe(false);
    const other = defineAbilityFor(viewer([Role.STAFF], DEPT));
    other.update([...other.rules, { action: 'read', subject: 'OutgoingDocument', conditions: { state: { $ne: 'DRAFT' } } }]);
    expect(readPlan(other).exact).toBe(false);
    const collection = defineAbilityFor(viewer([Role.STAFF], DEPT));
    collection.update([...collection.rules, { action: 'read', subject: 'IncomingDocument', conditions: { assignments: 'me' } }]);
    expect(readPlan(collection).exact).toBe(false);
  });
});
