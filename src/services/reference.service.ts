import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Assignment, Correspondent, DocumentType, Register, RoutingEvent, Unit, WorkScheduleEntry } from '../../entities';
import { findOutboxMessage } from '../exchange/exchange.service';
import { findIncident } from './incident.service';
import { findDelegation, findRule } from './permission.service';
import { Role } from '../domain/accounts/account-rules';
import { openForDownload } from './file.service';
import { findReadableSchedule, findReadableVersion } from './schedule-access';
import { findReadableDossier } from './dossier.service';
import { readableOrNull } from './incoming.service';
import { findDocumentByKey } from './document-query.service';
import { readableOutgoingOrNull } from './outgoing-access';
import type { Context } from '../context';
import { ORGAN_ID_PATTERN } from '../domain/units/unit-rules';
import { findReadableAccount } from '../repositories/accounts';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOf, parseGlobalId, toGlobalId } from '../graphql/global-id';
import { sealSecret } from '../exchange/exchange.service';
import { authorize, requireViewer } from './guards';
import { containing } from './input-checks';
import { agencyByOrganId, viewerAgencyId } from './agencies';
import { InternalPeerAddress, publicAddressesOf, systemLookup } from '../exchange/peer-address';

/** The viewer's agency's outside organisations, optionally those whose name, short name or identifier contains `text`. */
export async function listCorrespondents(ctx: Context, text?: string | null): Promise<Correspondent[]> {
  authorize(ctx, 'read', 'Correspondent');
  if (text && text.length > 200) throw badInput('text must be at most 200 characters.', 'text');
  const like = text ? containing(text) : null;
  const agency = await viewerAgencyId(ctx);
  return ctx.em.find(
    Correspondent,
    like ? { agency, $or: [{ name: { $ilike: like } }, { shortName: { $ilike: like } }, { organId: { $ilike: like } }] } : { agency },
    { orderBy: { name: 'asc' }, limit: 100 },
  );
}

/**
 * A correspondent of the viewer's agency, or null: another agency's correspondents, their endpoints,
 * secrets and outbox, are not there for this viewer (NOT_FOUND, as for documents).
 */
export async function ownCorrespondent(ctx: Context, key: string, opts: { withSecret?: boolean } = {}): Promise<Correspondent | null> {
  const agency = await viewerAgencyId(ctx);
  return ctx.em.findOne(Correspondent, { id: key, agency }, opts.withSecret ? { populate: ['secretCipher'] } : {});
}

export interface CorrespondentInput {
  name?: string | null;
  shortName?: string | null;
  organId?: string | null;
  /** The peer's exchange endpoint (POST); an empty string removes it. */
  endpoint?: string | null;
  /** The secret shared with the peer; an empty string removes it. Never readable back. */
  secret?: string | null;
}

async function checkEndpoint(ctx: Context, v: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw badInput('endpoint must be an absolute URL such as https://vpdt.example.gov.vn/exchange/messages.', 'input.endpoint');
  }
  if (v.length > 500) throw badInput('endpoint must be at most 500 characters.', 'input.endpoint');
  const { allowInternalPeers } = ctx.app.config.exchange;
  const https = url.protocol === 'https:';
  if (!https && !(url.protocol === 'http:' && ctx.app.config.nodeEnv !== 'production')) throw badInput('endpoint must use https.', 'input.endpoint');
  if (url.username || url.password) throw badInput('endpoint must not carry credentials: give the secret in input.secret.', 'input.endpoint');
  if (!allowInternalPeers) {
    try {
      const lookup = ctx.app.lookup ?? systemLookup;
      await publicAddressesOf(url.hostname, (h) =>
        Promise.race([lookup(h), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('resolver timeout')), 5000).unref())]),
      );
    } catch (e) {
      // A name that does not resolve yet is taken: the sender checks again, after resolving, at every connection.
      if (e instanceof InternalPeerAddress)
        throw badInput(
          'endpoint must be a public address of the peer’s exchange server, not a local, private or link-local one (nor a name that resolves to one).',
          'input.endpoint',
        );
    }
  }
  return url.toString();
}

/** Applies the exchange part of an input: an endpoint needs an identifier and a secret to be usable. */
async function applyExchange(ctx: Context, c: Correspondent, input: CorrespondentInput): Promise<void> {
  if (input.endpoint !== undefined && input.endpoint !== null) c.endpoint = input.endpoint === '' ? null : await checkEndpoint(ctx, input.endpoint);
  if (input.secret !== undefined && input.secret !== null) {
    if (input.secret !== '' && (input.secret.length < 32 || input.secret.length > 200))
      throw badInput('secret must be 32 to 200 characters (agree a long random one with the peer).', 'input.secret');
    c.secretCipher = input.secret === '' ? null : sealSecret(ctx.app, input.secret);
  }
  if ((c.endpoint || c.secretCipher) && !c.organId) throw badInput('A peer of the exchange needs its organId.', 'input.organId');
  // An agency of this deployment is not a peer: documents to it travel inside (address its unit).
  const hosted = c.endpoint && c.organId ? await agencyByOrganId(ctx.em, ctx.app.config, c.organId) : null;
  if (hosted)
    throw badInput(
      `${c.organId} is ${hosted.unit.name}, an agency of this deployment: documents to it travel inside the system; address its unit (recipientUnitIds) instead of an exchange endpoint.`,
      'input.endpoint',
    );
  if (c.endpoint && !c.secretCipher) throw badInput('A peer with an endpoint needs the secret shared with it (input.secret).', 'input.secret');
}

/** Adds an outside organisation to the viewer's agency (CLERK or SYSADMIN of that agency), optionally a peer of the exchange. */
export async function createCorrespondent(ctx: Context, input: CorrespondentInput & { name: string }): Promise<Correspondent> {
  authorize(ctx, 'create', 'Correspondent');
  if (!input.name || input.name.length > 200) throw badInput('name must be 1 to 200 characters.', 'name');
  if (input.shortName && input.shortName.length > 30) throw badInput('shortName must be at most 30 characters.', 'shortName');
  if (input.organId && !ORGAN_ID_PATTERN.test(input.organId)) throw badInput('organId must be a 13-character identifier such as 000.00.00.H08.', 'organId');
  const agency = await viewerAgencyId(ctx);
  const c = ctx.em.create(Correspondent, { agency, name: input.name, shortName: input.shortName || null, organId: input.organId || null });
  await applyExchange(ctx, c, input);
  return saveCorrespondent(ctx, c);
}

/** Changes an outside organisation of the viewer's agency: its names, or its exchange endpoint and secret (CLERK or SYSADMIN of that agency). */
export async function updateCorrespondent(ctx: Context, id: string, input: CorrespondentInput): Promise<Correspondent> {
  authorize(ctx, 'update', 'Correspondent');
  const c = await ownCorrespondent(ctx, keyOf('Correspondent', id, 'id'), { withSecret: true });
  if (!c) throw new AppError(ErrorCode.NOT_FOUND, 'No correspondent was found with this id.');
  if (input.name !== undefined && input.name !== null) {
    if (!input.name || input.name.length > 200) throw badInput('name must be 1 to 200 characters.', 'input.name');
    c.name = input.name;
  }
  if (input.shortName !== undefined) {
    if (input.shortName && input.shortName.length > 30) throw badInput('shortName must be at most 30 characters.', 'input.shortName');
    c.shortName = input.shortName || null;
  }
  if (input.organId !== undefined && input.organId !== null) {
    if (input.organId !== '' && !ORGAN_ID_PATTERN.test(input.organId))
      throw badInput('organId must be a 13-character identifier such as 000.00.00.H08.', 'input.organId');
    c.organId = input.organId || null;
  }
  await applyExchange(ctx, c, input);
  return saveCorrespondent(ctx, c);
}

async function saveCorrespondent(ctx: Context, c: Correspondent): Promise<Correspondent> {
  try {
    await ctx.em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException)
      throw new AppError(ErrorCode.ALREADY_EXISTS, 'A correspondent with this identifier already exists.', { field: 'organId' });
    throw e;
  }
  return c;
}

/** Fetches any object by its global id, through the same permission rules as its own queries. */
export async function findNode(ctx: Context, id: string): Promise<unknown> {
  requireViewer(ctx);
  const parsed = parseGlobalId(id);
  if (!parsed) return null;
  switch (parsed.type) {
    case 'Unit':
      return ctx.ability.can('read', 'Unit') ? ctx.em.findOne(Unit, { id: parsed.key }) : null;
    case 'Account':
      return findReadableAccount(ctx, parsed.key);
    case 'DocumentType':
      return ctx.ability.can('read', 'DocumentType') ? ctx.em.findOne(DocumentType, { code: parsed.key }) : null;
    case 'Correspondent':
      return ctx.ability.can('read', 'Correspondent') ? ownCorrespondent(ctx, parsed.key) : null;
    case 'IncomingDocument':
      return readableOrNull(ctx, parsed.key);
    case 'OutgoingDocument':
      return readableOutgoingOrNull(ctx, parsed.key);
    case 'Assignment': {
      const a = await ctx.em.findOne(Assignment, { id: parsed.key });
      return a && (await readableOrNull(ctx, a.document.id)) ? a : null;
    }
    case 'RoutingEvent': {
      const e = await ctx.em.findOne(RoutingEvent, { id: parsed.key });
      return e && (await findDocumentByKey(ctx, e.document.id)) ? e : null;
    }
    case 'Register': {
      const v = ctx.viewer!;
      if (!v.roles.some((r) => r === Role.CLERK || r === Role.DIRECTOR)) return null;
      return ctx.em.findOne(Register, { id: parsed.key, keepingUnit: v.keepingUnitId });
    }
    case 'Dossier':
      return findReadableDossier(ctx, id).catch(() => null);
    case 'WorkSchedule':
      return findReadableSchedule(ctx, id).catch(() => null);
    case 'WorkScheduleVersion':
      return findReadableVersion(ctx, id).catch(() => null);
    case 'WorkScheduleEntry': {
      const entry = await ctx.em.findOne(WorkScheduleEntry, { id: parsed.key });
      if (!entry) return null;
      return (await findReadableVersion(ctx, toGlobalId('WorkScheduleVersion', entry.version.id)).catch(() => null)) ? entry : null;
    }
    case 'WorkScheduleEvent':
      // Delivered by the subscription only, authorised as of its step; not fetched again by id.
      return null;
    case 'StoredFile':
      return openForDownload(ctx, parsed.key).then(
        (r) => r.file,
        () => null,
      );
    case 'PermissionRule':
      return findRule(ctx, parsed.key);
    case 'Delegation':
      return findDelegation(ctx, parsed.key);
    case 'ExchangeMessage':
      return findOutboxMessage(ctx, parsed.key);
    case 'Incident':
      return findIncident(ctx, id);
    default: {
      // Every kind of global id is decided above: a new one fails to compile until it is.
      const unknown: never = parsed.type;
      return unknown;
    }
  }
}
