/** Accounts a viewer may read: the filter, and the lookups built on it. */
import type { FilterQuery } from '@mikro-orm/core';
import { Account } from '../../entities';
import { allOf, allowed, type Viewing } from './where';

type Where = FilterQuery<Account>;

/** The accounts the viewer may read, before any other condition (the first of a list's conditions). */
export function readableAccounts(viewing: Pick<Viewing, 'ability'>): Where {
  return allowed<Account>(viewing, 'read', 'Account');
}

/** The account with this primary key if the viewer may read it, else null. */
export function findReadableAccount(viewing: Viewing, key: string): Promise<Account | null> {
  return viewing.em.findOne(Account, allOf<Account>({ id: key }, readableAccounts(viewing)));
}
