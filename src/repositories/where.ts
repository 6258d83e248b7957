/**
 * The typed seam between CASL's rules and MikroORM's filters: the one place a permission condition
 * (plain JSON from src/domain/permissions/to-filter.ts, a document's membership in its assignments
 * written as EXISTS by ./membership-filter.ts) becomes a `FilterQuery` of an entity. The
 * repositories beside this file build every "rows this viewer may read/change" filter through it, so
 * no service or resolver writes one by hand or casts one.
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Action, AppAbility, SubjectType } from '../domain/permissions/ability';
import { accessibleWhere } from './membership-filter';

/** What a repository needs of a request: the viewer's ability and the manager to read through. */
export interface Viewing {
  ability: AppAbility;
  em: EntityManager;
}

/** The rows of `subject` the ability allows for `action`, as a filter on the entity that stores them. */
export function allowed<T extends object>(viewing: Pick<Viewing, 'ability'>, action: Action, subject: SubjectType): FilterQuery<T> {
  return accessibleWhere(viewing.ability, action, subject) as FilterQuery<T>;
}

/** Every condition together, in the order given (the order of the statement's `and`). */
export function allOf<T extends object>(...conditions: FilterQuery<T>[]): FilterQuery<T> {
  return { $and: conditions } as FilterQuery<T>;
}
