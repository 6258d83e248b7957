import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../common/page.args';
import { Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import { listAccounts } from '../../src/services/account.service';
import * as units from '../../src/services/unit.service';
import { AccountConnection } from '../account/account.type';
import { CreateUnitInput, UpdateUnitInput } from './unit.input';
import { UnitType } from './unit.type';

@Resolver(() => UnitType)
export class UnitResolver {
  @Allow('AUTHENTICATED')
  @Query(() => [UnitType], { description: 'Every unit of the tree.' })
  units(@Ctx() ctx: Context): Promise<Unit[]> {
    return units.listUnits(ctx);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => UnitType, { description: 'Creates a unit (SYSADMIN).' })
  createUnit(@Ctx() ctx: Context, @Arg('input', () => CreateUnitInput) input: CreateUnitInput): Promise<Unit> {
    return units.createUnit(ctx, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => UnitType, { description: 'Renames, recodes or moves a unit (SYSADMIN).' })
  updateUnit(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateUnitInput) input: UpdateUnitInput): Promise<Unit> {
    return units.updateUnit(ctx, id, input);
  }

  @FieldResolver(() => ID)
  id(@Root() unit: Unit): string {
    return toGlobalId('Unit', unit.id);
  }

  @FieldResolver(() => UnitType, { nullable: true })
  async parent(@Root() unit: Unit, @Ctx() ctx: Context): Promise<Unit | null> {
    return unit.parent ? ctx.loaders.unit.load(unit.parent.id) : null;
  }

  @FieldResolver(() => [UnitType])
  children(@Root() unit: Unit, @Ctx() ctx: Context): Promise<Unit[]> {
    return ctx.loaders.childUnits.load(unit.id);
  }

  @FieldResolver(() => AccountConnection, { description: 'The accounts of this unit.' })
  members(@Root() unit: Unit, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    return listAccounts(ctx, { unitId: toGlobalId('Unit', unit.id) }, page.first, page.after);
  }
}
