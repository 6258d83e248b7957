import {
  ASSIGNMENT_WORKFLOW,
  AssignmentRole,
  AssignmentState,
  DOCUMENT_WORKFLOW,
  IncomingState,
  assignmentTransition,
  deadlineProblem,
  deriveDocumentState,
  documentTransition,
  stepFitsRole,
  type AssignmentStep,
  type DocumentStep,
} from '../../src/domain/incoming/routing';

const STATES = Object.values(IncomingState);
const A_STATES = Object.values(AssignmentState);

describe('the routing of an incoming document', () => {
  const legal: Array<[DocumentStep, IncomingState, IncomingState]> = [
    ['register', IncomingState.RECEIVED, IncomingState.REGISTERED],
    ['reject', IncomingState.RECEIVED, IncomingState.REJECTED],
    ['submit', IncomingState.REGISTERED, IncomingState.SUBMITTED],
    ['assign', IncomingState.SUBMITTED, IncomingState.ASSIGNED],
    ['recall', IncomingState.RECEIVED, IncomingState.RECALLED],
    ['recall', IncomingState.REGISTERED, IncomingState.RECALLED],
    ['recall', IncomingState.SUBMITTED, IncomingState.RECALLED],
    ['recall', IncomingState.ASSIGNED, IncomingState.RECALLED],
    ['recall', IncomingState.IN_PROGRESS, IncomingState.RECALLED],
    ['recall', IncomingState.REJECTED, IncomingState.RECALLED],
    ['recall', IncomingState.COMPLETED, IncomingState.RECALLED],
    ['annul', IncomingState.REGISTERED, IncomingState.ANNULLED],
    ['annul', IncomingState.SUBMITTED, IncomingState.ANNULLED],
    ['annul', IncomingState.ASSIGNED, IncomingState.ANNULLED],
    ['annul', IncomingState.IN_PROGRESS, IncomingState.ANNULLED],
    ['annul', IncomingState.COMPLETED, IncomingState.ANNULLED],
  ];
  it.each(legal)('%s from %s goes to %s', (step, from, to) => expect(documentTransition(from, step)).toBe(to));

  const illegal: Array<[DocumentStep, IncomingState]> = [];
  for (const step of Object.keys(DOCUMENT_WORKFLOW.transitions) as DocumentStep[]) {
    for (const from of STATES) if (!legal.some(([s, f]) => s === step && f === from)) illegal.push([step, from]);
  }
  it.each(illegal)('%s from %s is refused', (step, from) => expect(documentTransition(from, step)).toBeNull());

  it('covers every step from every state', () => expect(legal.length + illegal.length).toBe(Object.keys(DOCUMENT_WORKFLOW.transitions).length * STATES.length));
});

describe('the steps of an assignment', () => {
  const legal: Array<[AssignmentStep, AssignmentState, AssignmentState]> = [
    ['start', AssignmentState.PENDING, AssignmentState.IN_PROGRESS],
    ['progress', AssignmentState.PENDING, AssignmentState.IN_PROGRESS],
    ['progress', AssignmentState.IN_PROGRESS, AssignmentState.IN_PROGRESS],
    ['complete', AssignmentState.PENDING, AssignmentState.COMPLETED],
    ['complete', AssignmentState.IN_PROGRESS, AssignmentState.COMPLETED],
    ['return', AssignmentState.PENDING, AssignmentState.RETURNED],
    ['return', AssignmentState.IN_PROGRESS, AssignmentState.RETURNED],
    ['delegate', AssignmentState.PENDING, AssignmentState.IN_PROGRESS],
    ['delegate', AssignmentState.IN_PROGRESS, AssignmentState.IN_PROGRESS],
    ['read', AssignmentState.PENDING, AssignmentState.COMPLETED],
    ['withdraw', AssignmentState.PENDING, AssignmentState.WITHDRAWN],
    ['withdraw', AssignmentState.IN_PROGRESS, AssignmentState.WITHDRAWN],
  ];
  it.each(legal)('%s from %s goes to %s', (step, from, to) => expect(assignmentTransition(from, step)).toBe(to));

  const illegal: Array<[AssignmentStep, AssignmentState]> = [];
  for (const step of Object.keys(ASSIGNMENT_WORKFLOW.transitions) as AssignmentStep[]) {
    for (const from of A_STATES) if (!legal.some(([s, f]) => s === step && f === from)) illegal.push([step, from]);
  }
  it.each(illegal)('%s from %s is refused', (step, from) => expect(assignmentTransition(from, step)).toBeNull());

  it('lets an assignment for information only be read or withdrawn, and the others anything but read', () => {
    for (const step of Object.keys(ASSIGNMENT_WORKFLOW.transitions) as AssignmentStep[]) {
      expect({ step, inform: stepFitsRole(AssignmentRole.INFORM, step) }).toEqual({ step, inform: step === 'read' || step === 'withdraw' });
      expect({ step, lead: stepFitsRole(AssignmentRole.LEAD, step) }).toEqual({ step, lead: step !== 'read' });
    }
  });
});

describe('the document state derived from its assignments', () => {
  const a = (role: AssignmentRole, state: AssignmentState, topLevel = true, handled = false) => ({ role, state, topLevel, handled });
  const { LEAD, COOPERATE, INFORM } = AssignmentRole;
  const { PENDING, IN_PROGRESS, COMPLETED, RETURNED, WITHDRAWN } = AssignmentState;
  it.each([
    ['a pending lead', [a(LEAD, PENDING)], IncomingState.ASSIGNED],
    ['an informed reader only beside a pending lead', [a(LEAD, PENDING), a(INFORM, PENDING)], IncomingState.ASSIGNED],
    ['a cooperating one at work', [a(LEAD, PENDING), a(COOPERATE, IN_PROGRESS)], IncomingState.IN_PROGRESS],
    ['a delegated lead at work', [a(LEAD, IN_PROGRESS), a(LEAD, PENDING, false)], IncomingState.IN_PROGRESS],
    ['a completed lead', [a(LEAD, COMPLETED), a(COOPERATE, PENDING)], IncomingState.COMPLETED],
    ['a completed delegated lead only', [a(LEAD, IN_PROGRESS), a(LEAD, COMPLETED, false)], IncomingState.IN_PROGRESS],
    ['a returned lead', [a(LEAD, RETURNED), a(COOPERATE, IN_PROGRESS)], IncomingState.SUBMITTED],
    ['a returned lead assigned again', [a(LEAD, RETURNED), a(LEAD, PENDING)], IncomingState.ASSIGNED],
    ['a withdrawn lead, not directed again', [a(LEAD, WITHDRAWN), a(INFORM, PENDING)], IncomingState.SUBMITTED],
    ['a withdrawn lead replaced', [a(LEAD, WITHDRAWN, true, true), a(LEAD, IN_PROGRESS)], IncomingState.IN_PROGRESS],
    ['for information only, unread', [a(INFORM, PENDING), a(INFORM, PENDING)], IncomingState.ASSIGNED],
    ['for information only, read by some', [a(INFORM, COMPLETED), a(INFORM, PENDING)], IncomingState.IN_PROGRESS],
    ['for information only, read by all still named', [a(INFORM, COMPLETED), a(INFORM, WITHDRAWN)], IncomingState.COMPLETED],
    ['for information only, every reader withdrawn', [a(INFORM, WITHDRAWN)], IncomingState.SUBMITTED],
    ['for information only after a returned lead was dealt with', [a(LEAD, RETURNED, true, true), a(INFORM, COMPLETED)], IncomingState.COMPLETED],
    ['a returned lead not dealt with, beside readers who read', [a(LEAD, RETURNED), a(INFORM, COMPLETED)], IncomingState.SUBMITTED],
    ['read by the informed, lead still open', [a(LEAD, PENDING), a(INFORM, COMPLETED)], IncomingState.ASSIGNED],
  ])('%s', (_name, assignments, state) => expect(deriveDocumentState(assignments)).toBe(state));
});

describe('delegated deadlines', () => {
  it('may not be later than the one received', () => {
    expect(deadlineProblem('2026-12-10', '2026-12-10')).toBeNull();
    expect(deadlineProblem('2026-12-10', '2026-12-05')).toBeNull();
    expect(deadlineProblem('2026-12-10', '2026-12-11')).toMatch(/no later/);
    expect(deadlineProblem('2026-12-10', null)).toMatch(/required/);
    expect(deadlineProblem(null, null)).toBeNull();
  });
});
