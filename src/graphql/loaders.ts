import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Account,
  Assignment,
  AssignmentProgress,
  Correspondent,
  DocumentAttachment,
  FileSignatureCheck,
  Register,
  RoutingEvent,
  StoredFile,
  Unit,
} from '../../entities';

/**
 * Per-request batching of the lookups nested fields make, so a page of 50 costs as many statements
 * as a page of 5. Built per request (and per subscription event): nothing is shared between viewers.
 */
export interface Loaders {
  unit: DataLoader<string, Unit | null>;
  account: DataLoader<string, Account | null>;
  correspondent: DataLoader<string, Correspondent | null>;
  register: DataLoader<string, Register | null>;
  childUnits: DataLoader<string, Unit[]>;
  assignmentsByDocument: DataLoader<string, Assignment[]>;
  attachmentsByDocument: DataLoader<string, StoredFile[]>;
  lastEventByDocument: DataLoader<string, RoutingEvent | null>;
  progressByAssignment: DataLoader<string, AssignmentProgress[]>;
  /** The signature check of a file, by the file's key: a page of documents with their attachments costs one statement for every check. */
  signatureCheckByFile: DataLoader<string, FileSignatureCheck | null>;
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

function grouped<T>(rows: T[], ids: readonly string[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return ids.map((id) => map.get(id) ?? []);
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    unit: new DataLoader(async (ids) => byId(await em.find(Unit, { id: { $in: [...ids] } }), ids)),
    account: new DataLoader(async (ids) => byId(await em.find(Account, { id: { $in: [...ids] } }), ids)),
    correspondent: new DataLoader(async (ids) => byId(await em.find(Correspondent, { id: { $in: [...ids] } }), ids)),
    register: new DataLoader(async (ids) => byId(await em.find(Register, { id: { $in: [...ids] } }), ids)),
    childUnits: new DataLoader(async (ids) => {
      const rows = await em.find(Unit, { parent: { $in: [...ids] } }, { orderBy: { name: 'asc' } });
      return grouped(rows, ids, (u) => u.parent!.id);
    }),
    assignmentsByDocument: new DataLoader(async (ids) => {
      const rows = await em.find(Assignment, { document: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return grouped(rows, ids, (a) => a.document.id);
    }),
    attachmentsByDocument: new DataLoader(async (ids) => {
      const rows = await em.find(DocumentAttachment, { document: { $in: [...ids] } }, { populate: ['file'], orderBy: { ordinal: 'asc' } });
      return grouped(rows, ids, (a) => a.document.id).map((list) => list.map((a) => a.file));
    }),
    lastEventByDocument: new DataLoader(async (ids) => {
      const rows = await em.execute<Array<{ id: string }>>(
        `select max(id)::text as id from routing_event where document_id in (${ids.map(() => '?').join(',')}) group by document_id`,
        [...ids],
      );
      const events = rows.length ? await em.find(RoutingEvent, { id: { $in: rows.map((r) => r.id) } }) : [];
      const byDoc = new Map(events.map((e) => [e.document.id, e]));
      return ids.map((id) => byDoc.get(id) ?? null);
    }),
    progressByAssignment: new DataLoader(async (ids) => {
      const rows = await em.find(AssignmentProgress, { assignment: { $in: [...ids] } }, { orderBy: { at: 'asc', id: 'asc' } });
      return grouped(rows, ids, (p) => p.assignment.id);
    }),
    signatureCheckByFile: new DataLoader(async (ids) => {
      const rows = await em.find(FileSignatureCheck, { file: { $in: [...ids] } });
      const byFile = new Map(rows.map((r) => [r.file.id, r]));
      return ids.map((id) => byFile.get(id) ?? null);
    }),
  };
}
