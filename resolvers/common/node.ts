import { Field, ID, InterfaceType } from 'type-graphql';
import { Account, Correspondent, DocumentType, Unit } from '../../entities';

/** Resolves which object type an entity is, for `Node` and other interfaces. */
export function typeNameOf(value: unknown): string | undefined {
  if (value instanceof Unit) return 'Unit';
  if (value instanceof Account) return 'Account';
  if (value instanceof DocumentType) return 'DocumentType';
  if (value instanceof Correspondent) return 'Correspondent';
  return undefined;
}

@InterfaceType({ description: 'An object with a global id that `node(id)` can fetch again.', resolveType: typeNameOf })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
