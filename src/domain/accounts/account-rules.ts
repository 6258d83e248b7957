import { randomInt } from 'node:crypto';

/** Roles (vai trò) an account may hold; an account may hold several. */
export enum Role {
  DIRECTOR = 'DIRECTOR',
  CLERK = 'CLERK',
  HEAD = 'HEAD',
  STAFF = 'STAFF',
  SYSADMIN = 'SYSADMIN',
}

/**
 * The roles that read documents. The system administrator manages accounts and rights and reads no
 * document (Điều 6.3, 8.4): an account holding SYSADMIN never holds one of these as well.
 */
export const DOCUMENT_ROLES: readonly Role[] = [Role.DIRECTOR, Role.CLERK, Role.HEAD, Role.STAFF];

/** Why an account may not hold these roles together, or null. */
export function roleCombinationProblem(roles: readonly Role[]): string | null {
  if (!roles.includes(Role.SYSADMIN)) return null;
  const readers = roles.filter((r) => DOCUMENT_ROLES.includes(r));
  if (readers.length === 0) return null;
  return `A SYSADMIN manages accounts and rights and reads no document (Điều 6.3): it cannot also be ${readers.join(', ')}. Give the document role to a separate account of the person.`;
}

/**
 * Why `actorId` may not change the roles or rights of `targetId`, or null: nobody changes their own
 * (another administrator must, so every change of rights has two people behind it).
 */
export function selfGrantProblem(actorId: string | null | undefined, targetId: string): string | null {
  return actorId && actorId === targetId ? 'Nobody changes their own roles or rights: ask another administrator.' : null;
}

/** Whether two role lists hold the same roles, in any order. */
export function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r)) && b.every((r) => a.includes(r));
}

export enum AccountStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

/** Why an account was disabled (Điều 6.3): accounts are never deleted. */
export enum AccountEndReason {
  RETIREMENT = 'RETIREMENT',
  RESIGNATION = 'RESIGNATION',
  TRANSFER_OUT = 'TRANSFER_OUT',
  OTHER = 'OTHER',
}

const EMAIL = /^[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;

/** User names are official e-mail addresses, compared without regard to case. Returns null when malformed. */
export function normaliseUsername(raw: string): string | null {
  const u = raw.trim().toLowerCase();
  if (u.length > 254 || !EMAIL.test(u) || u.includes('..')) return null;
  return u;
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/** Why a new password is not acceptable, or null. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return 'The password must contain both letters and digits.';
  const local = username.split('@')[0];
  if (local.length >= 4 && password.toLowerCase().includes(local)) return 'The password must not contain your user name.';
  return null;
}

const INITIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random one-time initial password, shown once to the administrator. Always satisfies {@link passwordProblem}. */
export function generateInitialPassword(length = 16): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += INITIAL_ALPHABET[randomInt(INITIAL_ALPHABET.length)];
    if (/\d/.test(s) && /[a-zA-Z]/.test(s)) return s;
  }
}
