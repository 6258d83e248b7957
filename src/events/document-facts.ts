import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentFacts } from './audience';

interface FactsRow {
  id: string;
  direction: 'INCOMING' | 'OUTGOING';
  keeping_unit_id: string;
  state: string;
  drafting_unit_id: string | null;
  drafter_id: string | null;
  assignments: DocumentFacts['assignments'];
  recipients: DocumentFacts['recipients'];
}

/**
 * The facts the document read rules look at (src/events/audience.ts), for a batch's documents, in one
 * statement: read after the batch's events were committed, and shared by every subscriber of the
 * process that takes the batch.
 */
export async function loadDocumentFacts(em: EntityManager, ids: readonly string[]): Promise<Map<string, DocumentFacts>> {
  const out = new Map<string, DocumentFacts>();
  if (!ids.length) return out;
  const rows: FactsRow[] = await em.getConnection().execute(
    `select d.id, d.direction, d.keeping_unit_id, d.state, d.drafting_unit_id, d.drafter_id,
            coalesce((select json_agg(json_build_object('assignee', a.assignee_id, 'scopeUnit', a.scope_unit_id,
                                                        'assigneeUnit', a.assignee_unit_id, 'active', a.active))
                        from assignment a where a.document_id = d.id), '[]'::json) as assignments,
            coalesce((select json_agg(json_build_object('unit', r.unit_id)) from outgoing_recipient r where r.document_id = d.id), '[]'::json) as recipients
       from document d where d.id = any(?::uuid[])`,
    [`{${ids.join(',')}}`],
  );
  for (const r of rows)
    out.set(r.id, {
      id: r.id,
      direction: r.direction,
      keepingUnit: r.keeping_unit_id,
      state: r.state,
      draftingUnit: r.drafting_unit_id,
      drafter: r.drafter_id,
      assignments: r.assignments,
      recipients: r.recipients,
    });
  return out;
}
