import { badInput } from '../errors';

/**
 * The kinds of object a global id names, written once: the type, the set and `findNode`'s exhaustive
 * switch all come from this list.
 */
export const NODE_TYPES = [
  'Unit',
  'Account',
  'DocumentType',
  'Correspondent',
  'IncomingDocument',
  'OutgoingDocument',
  'Assignment',
  'RoutingEvent',
  'Register',
  'StoredFile',
  'Dossier',
  'PermissionRule',
  'Delegation',
  'ExchangeMessage',
  'WorkSchedule',
  'WorkScheduleVersion',
  'WorkScheduleEntry',
  'WorkScheduleEvent',
  'Incident',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];
const KNOWN_TYPES: ReadonlySet<string> = new Set<string>(NODE_TYPES);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque, global id: the type name and the key, base64url-encoded. */
export function toGlobalId(type: NodeType, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

/** Decodes a global id, or returns null when it is not one of ours. */
export function parseGlobalId(id: string): { type: NodeType; key: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) return null;
  const raw = Buffer.from(id, 'base64url').toString('utf8');
  const i = raw.indexOf(':');
  if (i < 0) return null;
  const type = raw.slice(0, i);
  const key = raw.slice(i + 1);
  if (!KNOWN_TYPES.has(type) || !key) return null;
  if (
    type === 'RoutingEvent' || type === 'ExchangeMessage' || type === 'WorkScheduleEvent' ? !/^\d{1,18}$/.test(key) : type !== 'DocumentType' && !UUID.test(key)
  )
    return null;
  return { type: type as NodeType, key };
}

/**
 * The key of a global id of the expected type. Throws BAD_USER_INPUT when it is malformed or of another type,
 * naming the argument so the caller knows what to fix.
 */
export function keyOf(type: NodeType, id: string, argument: string): string {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.type !== type) throw badInput(`${argument} is not the id of a ${type}.`, argument);
  return parsed.key;
}

/** The type and key of a global id that must be one of `types`; BAD_USER_INPUT otherwise. */
export function keyOfAny<T extends NodeType>(types: readonly T[], id: string, argument: string): { type: T; key: string } {
  const parsed = parseGlobalId(id);
  if (!parsed || !types.includes(parsed.type as T)) throw badInput(`${argument} is not the id of a ${types.join(' or ')}.`, argument);
  return parsed as { type: T; key: string };
}
