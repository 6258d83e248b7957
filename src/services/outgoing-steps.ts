import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutgoingDocument } from '../../entities';
import { OUTGOING_TRANSITIONS, type OutgoingState, outgoingTransition, type OutgoingStep } from '../domain/outgoing/workflow';
import { AppError, ErrorCode } from '../errors';

/** Moves a document one step of the workflow, or refuses with INVALID_TRANSITION (from, to, step). */
export function step(doc: OutgoingDocument, s: OutgoingStep): { from: OutgoingState; to: OutgoingState } {
  const from = doc.state;
  const to = outgoingTransition(from, s);
  if (!to) {
    const t = OUTGOING_TRANSITIONS[s];
    throw new AppError(ErrorCode.INVALID_TRANSITION, `Cannot ${s} a document that is ${from}: ${s} takes ${t.from} documents to ${t.to}.`, { from, to: t.to, step: s });
  }
  doc.state = to;
  return { from, to };
}

/** The document, locked for update until the transaction ends. */
export function lock(em: EntityManager, id: string): Promise<OutgoingDocument> {
  return em.findOneOrFail(OutgoingDocument, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
