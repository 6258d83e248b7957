import { InvalidTransition, StateMachine } from '../../src/domain/state-machine';
import { AppError, fromDomain } from '../../src/errors';
import { ASSIGNMENT_WORKFLOW, AssignmentState, DOCUMENT_WORKFLOW, IncomingState } from '../../src/domain/incoming/routing';
import { OUTGOING_WORKFLOW, OutgoingState } from '../../src/domain/outgoing/workflow';

// Issue 16, item 3: one state-machine shape for every workflow, one `step` raising INVALID_TRANSITION.

type Light = 'RED' | 'GREEN' | 'AMBER';
const lights = new StateMachine<Light, 'go' | 'slow' | 'stop'>('light', {
  go: { from: ['RED'], to: 'GREEN' },
  slow: { from: ['GREEN'], to: 'AMBER' },
  stop: { from: ['AMBER', 'GREEN'], to: 'RED' },
});

describe('StateMachine', () => {
  it('gives the next state of a legal step and null for an illegal one', () => {
    expect(lights.next('RED', 'go')).toBe('GREEN');
    expect(lights.next('GREEN', 'go')).toBeNull();
    expect(lights.can('GREEN', 'stop')).toBe(true);
    expect(lights.can('RED', 'stop')).toBe(false);
  });

  it('refuses an illegal step naming both states and the legal ones', () => {
    expect(() => lights.step('RED', 'stop')).toThrow(InvalidTransition);
    try {
      lights.step('RED', 'stop');
    } catch (e) {
      const err = e as InvalidTransition;
      expect(err.code).toBe('INVALID_TRANSITION');
      expect(err.details).toEqual({ from: 'RED', to: 'RED', step: 'stop', workflow: 'light' });
      expect(err.message).toBe('Cannot stop a light that is RED: stop takes AMBER or GREEN lights to RED.');
    }
  });

  it('lists the steps legal from a state', () => {
    expect(lights.stepsFrom('GREEN')).toEqual(['slow', 'stop']);
    expect(lights.stepsFrom('RED')).toEqual(['go']);
  });

  it('becomes the coded API error INVALID_TRANSITION with its details', () => {
    const err = fromDomain(lights.refusal('RED', 'slow', 'Not now.'));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).extensions).toEqual({ code: 'INVALID_TRANSITION', from: 'RED', to: 'AMBER', step: 'slow', workflow: 'light' });
    expect((err as AppError).message).toBe('Not now.');
    const other = new Error('x');
    expect(fromDomain(other)).toBe(other);
  });
});

describe('the workflows of the office share the shape', () => {
  it.each([
    ['incoming document', DOCUMENT_WORKFLOW, IncomingState.REJECTED, 'register'],
    ['assignment', ASSIGNMENT_WORKFLOW, AssignmentState.COMPLETED, 'complete'],
    ['outgoing document', OUTGOING_WORKFLOW, OutgoingState.DRAFT, 'issue'],
  ] as const)('%s: an illegal step is refused by the one step function', (_name, machine, from, step) => {
    expect(() => (machine as StateMachine<string, string>).step(from, step)).toThrow(InvalidTransition);
  });
});
