import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { AppAbility } from './domain/permissions/ability';
import type { Viewer } from './domain/permissions/viewer';
import type { Loaders } from './graphql/loaders';
import type { PasswordHasher } from './services/passwords';
import type { PermissionStore } from './services/permission-store';
import type { SessionCache } from './services/session-cache';
import type { HostLookup } from './exchange/peer-address';
import type { LiveChannel } from './events/subscriptions';

/** A source of the current time, replaceable in tests. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Shared by every request of one server process. */
export interface AppServices {
  config: Config;
  clock: Clock;
  log: Logger;
  hasher: PasswordHasher;
  permissions: PermissionStore;
  /** Tells every server process that an account's sessions ended (disable, reset, password change). */
  announceRevocation(accountId: string): Promise<void>;
  /** Tells every server process that one session ended (logout). */
  announceSessionEnd(sessionId: string): Promise<void>;
  /** Tells every server process that an account's viewer (roles, unit, delegations…) changed, or without an id every viewer (units, rules, calendar). */
  announceViewerChange(accountId?: string): Promise<void>;
  /** The sessions this process checked recently (src/services/session-cache.ts); absent outside a server. */
  sessions?: SessionCache;
  /** The exchange sender of this process: woken when messages were queued (it also polls). */
  exchange?: { wake(): void };
  /** Resolves peers' host names (the system resolver; tests give their own). */
  lookup?: HostLookup;
}

/** One request (or one WebSocket operation): its own identity map, viewer, ability and loaders. */
export interface Context {
  app: AppServices;
  requestId: string;
  em: EntityManager;
  /** Set when a valid session token came with the request. */
  viewer?: Viewer;
  sessionId?: string;
  mustChangePassword: boolean;
  /** Why the token was not accepted, when one was sent. */
  authProblem?: string;
  ability: AppAbility;
  /** The working calendar's version, read with the session (src/services/working-calendar.ts). */
  calendarVersion?: string;
  loaders: Loaders;
  clientAddress: string;
  /** The bearer token the request came with, to rebuild the viewer for each event of a subscription. */
  token?: string | null;
  /** Set on WebSocket operations: the event stream and the socket. */
  live?: LiveChannel;
}
