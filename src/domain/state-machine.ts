/**
 * One shape for every workflow of the office: states, the steps between them as data, and one `step`
 * that either gives the next state or refuses with {@link InvalidTransition} (INVALID_TRANSITION to the
 * client, naming both states). Incoming documents, assignments and outgoing documents are written
 * with it, and so is any new workflow.
 */

/** A step: the states it may start from and the state it leads to (none: it keeps the state, as an edit does). */
export interface Transition<S extends string> {
  readonly from: readonly S[];
  readonly to?: S;
}

/**
 * A refusal of an illegal step. It is a domain value (no GraphQL here); the API layer turns it into
 * the coded error INVALID_TRANSITION with `from`, `to` and `step` in its extensions.
 */
export class InvalidTransition extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    message: string,
    readonly details: { from: string; to: string; step: string; workflow: string },
  ) {
    super(message);
    this.name = 'InvalidTransition';
  }
}

export class StateMachine<S extends string, Step extends string> {
  /**
   * @param noun what the workflow moves, for messages: "document", "assignment", "draft"…
   * @param transitions each step and the states it joins
   */
  constructor(
    readonly noun: string,
    readonly transitions: Readonly<Record<Step, Transition<S>>>,
  ) {}

  /** The state after `step`, or null when the step is not legal from `from`. */
  next(from: S, step: Step): S | null {
    const t = this.transitions[step];
    return t.from.includes(from) ? (t.to ?? from) : null;
  }

  can(from: S, step: Step): boolean {
    return this.next(from, step) !== null;
  }

  /** The state after `step`; an illegal step is refused with a message that names the legal states. */
  step(from: S, step: Step): S {
    const to = this.next(from, step);
    if (to === null) throw this.refusal(from, step);
    return to;
  }

  /** The refusal of `step` from `from`, for callers that refuse for a reason of their own first. */
  refusal(from: S, step: Step, message?: string): InvalidTransition {
    const t = this.transitions[step];
    const to = t.to ?? from;
    const takes = t.to ? `${step} takes ${t.from.join(' or ')} ${this.noun}s to ${t.to}` : `${step} is for ${t.from.join(' or ')} ${this.noun}s`;
    return new InvalidTransition(message ?? `Cannot ${step} a ${this.noun} that is ${from}: ${takes}.`, { from, to, step, workflow: this.noun });
  }

  /** The steps legal from a state, in the order they were declared. */
  stepsFrom(from: S): Step[] {
    return (Object.keys(this.transitions) as Step[]).filter((s) => this.transitions[s].from.includes(from));
  }
}
