import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutgoingDocument } from '../../entities';
import { OUTGOING_WORKFLOW, type OutgoingState, type OutgoingStep } from '../domain/outgoing/workflow';

/** Moves a document one step of the workflow, or refuses with INVALID_TRANSITION (from, to, step). */
export function step(doc: OutgoingDocument, s: OutgoingStep): { from: OutgoingState; to: OutgoingState } {
  const from = doc.state;
  doc.state = OUTGOING_WORKFLOW.step(from, s);
  return { from, to: doc.state };
}

/** The document, locked for update until the transaction ends. */
export function lock(em: EntityManager, id: string): Promise<OutgoingDocument> {
  return em.findOneOrFail(OutgoingDocument, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}
