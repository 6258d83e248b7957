import { randomInt } from 'node:crypto';

/** Roles (vai trò) an account may hold; an account may hold several. */
export enum Role {
  DIRECTOR = 'DIRECTOR',
  CLERK = 'CLERK',
  HEAD = 'HEAD',
  STAFF = 'STAFF',
  SYSADMIN = 'SYSADMIN',
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
