/** Work dossiers a viewer may read: the filter, and the lookups built on it. */
import type { FilterQuery } from '@mikro-orm/core';
import { Dossier } from '../../entities';
import { allOf, allowed, type Viewing } from './where';

type Where = FilterQuery<Dossier>;

/** The dossiers the viewer may read, before any other condition (the first of a list's conditions). */
export function readableDossiers(viewing: Pick<Viewing, 'ability'>): Where {
  return allowed<Dossier>(viewing, 'read', 'Dossier');
}

/** The dossiers matching `conditions` that the viewer may read. */
export function readableDossiersWhere(viewing: Pick<Viewing, 'ability'>, ...conditions: Where[]): Where {
  return allOf<Dossier>(...conditions, readableDossiers(viewing));
}

/** The dossier with this primary key if the viewer may read it, else null. */
export function findReadableDossier(viewing: Viewing, key: string): Promise<Dossier | null> {
  return viewing.em.findOne(Dossier, readableDossiersWhere(viewing, { id: key }));
}

/** Whether the viewer may read the dossier with this key. */
export async function isReadableDossier(viewing: Viewing, key: string): Promise<boolean> {
  return (await viewing.em.count(Dossier, readableDossiersWhere(viewing, { id: key }))) > 0;
}

/** A dossier by its key, for a field of an object whose readability was already checked. */
export function dossierByKey(viewing: Viewing, key: string): Promise<Dossier | null> {
  return viewing.em.findOne(Dossier, { id: key });
}
