import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Assignment, type IncomingDocument } from '../../entities';
import { routedFromKey } from '../../src/repositories/incoming-documents';
import type { Context } from '../../src/context';
import { readableOrNull } from '../../src/services/incoming.service';
import { AssignmentType, IncomingDocumentType } from './document.types';

/** Routing to subordinate units (Điều 7.1): the links between the agency's document and a unit's copy, each shown only to a reader of its end. */
@Resolver(() => AssignmentType)
export class UnitCopyResolver {
  @FieldResolver(() => IncomingDocumentType, {
    nullable: true,
    description:
      'For an assignment to a subordinate unit: the copy the unit received in its own register. ' +
      'Null for other assignments, and when the viewer may not read the copy.',
  })
  unitCopy(@Root() a: Assignment, @Ctx() ctx: Context): Promise<IncomingDocument | null> | null {
    return a.unitCopy ? readableOrNull(ctx, a.unitCopy.id) : null;
  }
}

@Resolver(() => IncomingDocumentType)
export class RoutedFromResolver {
  @FieldResolver(() => IncomingDocumentType, {
    nullable: true,
    description: 'For a subordinate unit’s copy: the agency’s document it was routed from. Null otherwise, and when the viewer may not read that document.',
  })
  async routedFrom(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<IncomingDocument | null> {
    const key = await routedFromKey(ctx, d.id);
    return key ? readableOrNull(ctx, key) : null;
  }
}
