import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Delegation, Unit, type OutgoingDocument } from '../../entities';
import type { TxContext } from '../transaction';
import { AccountStatus, Role } from '../domain/accounts/account-rules';
import { METADATA_LIMITS } from '../domain/documents/document-enums';
import { DelegationRight } from '../domain/permissions/delegation';
import { DelegationForm, SigningCapacity, signatureFor, type Signature, type SigningFacts } from '../domain/signing/capacity';
import { Position } from '../domain/signing/positions';
import { AppError, ErrorCode } from '../errors';

/**
 * What the signing rule needs about the viewer and a document: the signer's position, whether they
 * lead the document's keeping unit, whether that unit is a collective body, and the SIGN delegation
 * in force for it (its form and the delegator's position).
 */
async function factsOf(ctx: TxContext, doc: OutgoingDocument, signer: Account): Promise<{ facts: SigningFacts; delegator: Account | null }> {
  const { em } = ctx;
  const viewer = ctx.viewer!;
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const right = viewer.delegations?.find((d) => d.right === DelegationRight.SIGN && d.scopeUnitId === keepingUnit.id);
  const delegation = right ? await em.findOne(Delegation, { id: right.delegationId }, { populate: ['fromAccount'] }) : null;
  const delegator = delegation ? (delegation.fromAccount as Account) : null;
  return {
    facts: {
      position: signer.positionCode ?? null,
      leads: viewer.roles.includes(Role.DIRECTOR) && viewer.keepingUnitId === keepingUnit.id,
      collectiveBody: keepingUnit.collectiveBody ?? null,
      delegation: delegation ? { form: delegation.form ?? DelegationForm.AUTHORISATION, fromPosition: delegator?.positionCode ?? null } : null,
    },
    delegator,
  };
}

/** The head of a keeping unit in whose name a deputy signs, when exactly one active account holds the head's position there. */
async function headOf(em: EntityManager, keepingUnitId: string): Promise<Account | null> {
  const where = { unit: keepingUnitId, status: AccountStatus.ACTIVE, positionCode: { $in: [Position.DIRECTOR, Position.CHAIR] } };
  const heads = await em.find(Account, where, { limit: 2 });
  return heads.length === 1 ? heads[0] : null;
}

/**
 * Records the viewer's signature on a document (inside the caller's transaction): who signed, in
 * what capacity, for whom, and the lines above the signature (NĐ 30/2020 Điều 13). A capacity the
 * signer does not hold, asked for or not, is refused with SIGNING_CAPACITY_NOT_HELD.
 */
export async function recordSignature(ctx: TxContext, doc: OutgoingDocument, requested?: SigningCapacity | null): Promise<Signature> {
  const { em } = ctx;
  const signer = await em.findOneOrFail(Account, { id: ctx.viewer!.accountId });
  const { facts, delegator } = await factsOf(ctx, doc, signer);
  const outcome = signatureFor(facts, requested);
  if (!outcome.ok) throw new AppError(ErrorCode.SIGNING_CAPACITY_NOT_HELD, outcome.problem, { requested: requested ?? null, held: outcome.held });
  const s = outcome.signature;
  doc.signer = signer;
  doc.signedAt = ctx.app.clock.now();
  doc.signerName = signer.fullName.slice(0, METADATA_LIMITS.signerName);
  doc.signerPosition = s.signerTitle;
  doc.signingCapacity = s.capacity;
  doc.signatureAuthority = s.authority;
  doc.signedFor = s.signedFor;
  doc.signatureLines = s.lines;
  doc.signedOnBehalfOf = s.viaDelegation ? delegator : s.capacity === SigningCapacity.DEPUTY ? await headOf(em, doc.keepingUnit.id) : null;
  return s;
}
