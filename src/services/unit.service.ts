import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Unit } from '../../entities';
import type { Context } from '../context';
import { ORGAN_ID_PATTERN, SHORT_NAME_PATTERN, UnitKind, keepsRecords, placementProblem } from '../domain/units/unit-rules';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import { keyOf } from '../graphql/global-id';
import { authorize } from './guards';
import { agencyByOrganId } from './agencies';
import { grantOfficeOversight, isAgencyOffice } from './office-oversight';

export interface UnitFields {
  name?: string | null;
  shortName?: string | null;
  code?: string | null;
  parentId?: string | null;
  collectiveBody?: string | null;
}

function checkFields(f: UnitFields): void {
  if (f.name !== undefined && (!f.name || f.name.length > 200)) throw badInput('name must be 1 to 200 characters.', 'name');
  if (f.shortName !== undefined && (!f.shortName || !SHORT_NAME_PATTERN.test(f.shortName))) {
    throw badInput('shortName must be 1 to 20 letters or digits, without spaces, "/" or "-" (it is used in document symbols, e.g. SXD, VP).', 'shortName');
  }
  if (f.code !== undefined && f.code !== null && f.code !== '' && !ORGAN_ID_PATTERN.test(f.code)) {
    throw badInput('code must be the 13-character identifier of a state body, such as 000.00.00.H08.', 'code');
  }
  if (f.collectiveBody && f.collectiveBody.length > 200) throw badInput('collectiveBody must be at most 200 characters.', 'collectiveBody');
}

async function loadParent(ctx: Context, parentId: string | null | undefined): Promise<Unit | null> {
  if (!parentId) return null;
  const parent = await ctx.em.findOne(Unit, { id: keyOf('Unit', parentId, 'parentId') });
  if (!parent) throw notFound('No parent unit');
  return parent;
}

/**
 * A code is unique among units (the database says so); it must also not be ORGAN_ID while the first
 * agency holds that identifier without a code of its own, or packages for that agency would go elsewhere.
 */
async function checkCodeFree(ctx: Context, code: string | null | undefined, unitId: string | null): Promise<void> {
  if (!code || code !== ctx.app.config.organId) return;
  const holder = await agencyByOrganId(ctx.em, ctx.app.config, code);
  if (holder && holder.unit.id !== unitId && !holder.unit.code) {
    throw new AppError(ErrorCode.ALREADY_EXISTS, `${code} is already the identifier of ${holder.unit.name} (ORGAN_ID): give this unit its own identifier.`, {
      field: 'code',
    });
  }
}

async function flushUnique(ctx: Context): Promise<void> {
  try {
    await ctx.em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw new AppError(ErrorCode.ALREADY_EXISTS, 'Another unit already has this code.', { field: 'code' });
    throw e;
  }
}

/** Creates a unit in the tree (SYSADMIN). */
export async function createUnit(ctx: Context, input: UnitFields & { name: string; shortName: string; kind: UnitKind }): Promise<Unit> {
  authorize(ctx, 'create', 'Unit');
  checkFields(input);
  await checkCodeFree(ctx, input.code, null);
  const parent = await loadParent(ctx, input.parentId);
  const problem = placementProblem(input.kind, parent?.kind ?? null);
  if (problem) throw badInput(problem, 'parentId');
  const unit = ctx.em.create(Unit, {
    name: input.name,
    shortName: input.shortName,
    code: input.code || null,
    kind: input.kind,
    parent,
    keepsRecords: keepsRecords(input.kind),
  });
  // The head of a new Office oversees the whole agency by default (a rule an administrator may remove); same flush, same transaction.
  if (isAgencyOffice(unit, parent?.kind ?? null)) await grantOfficeOversight(ctx.em, unit, ctx.viewer!.accountId, ctx.app.clock.now());
  await flushUnique(ctx);
  // A new department joins its keeping unit's members (and may bring a rule): every viewer is read again.
  await ctx.app.announceViewerChange();
  return unit;
}

/** Renames, recodes or moves a unit (SYSADMIN). Its kind does not change. */
export async function updateUnit(ctx: Context, id: string, input: UnitFields): Promise<Unit> {
  authorize(ctx, 'update', 'Unit');
  const unit = await ctx.em.findOne(Unit, { id: keyOf('Unit', id, 'id') });
  if (!unit) throw notFound('No unit');
  checkFields(input);
  await checkCodeFree(ctx, input.code, unit.id);
  if (input.parentId !== undefined) {
    const parent = await loadParent(ctx, input.parentId);
    const problem = placementProblem(unit.kind, parent?.kind ?? null);
    if (problem) throw badInput(problem, 'parentId');
    for (let p: Unit | null | undefined = parent; p; p = p.parent ? await ctx.em.findOne(Unit, { id: p.parent.id }) : null) {
      if (p.id === unit.id) throw badInput('A unit cannot be placed under itself or one of its own units.', 'parentId');
    }
    unit.parent = parent;
  }
  if (input.name) unit.name = input.name;
  if (input.shortName) unit.shortName = input.shortName;
  if (input.code !== undefined) unit.code = input.code || null;
  if (input.collectiveBody !== undefined) {
    if (input.collectiveBody?.trim() && !unit.keepsRecords) {
      throw badInput('Only a records-keeping unit (the agency or a subordinate unit) signs as a collective body.', 'collectiveBody');
    }
    unit.collectiveBody = input.collectiveBody?.trim() || null;
  }
  await flushUnique(ctx);
  // Viewers carry their unit's place and short name: every viewer is read again.
  await ctx.app.announceViewerChange();
  return unit;
}

/** Every unit, the agency first, then by kind and name. */
export async function listUnits(ctx: Context): Promise<Unit[]> {
  authorize(ctx, 'read', 'Unit');
  const units = await ctx.em.find(Unit, {}, { orderBy: { name: 'asc' } });
  const order = { [UnitKind.AGENCY]: 0, [UnitKind.SUBORDINATE]: 1, [UnitKind.DEPARTMENT]: 2 };
  return units.sort((a, b) => order[a.kind] - order[b.kind]);
}
