import { Authorized, Extensions } from 'type-graphql';
import { Role } from '../domain/accounts/account-rules';

/** Who may use an operation: anybody, any signed-in account, or accounts holding one of the roles. */
export type Audience = 'PUBLIC' | 'AUTHENTICATED' | Role;

export interface AccessExtensions {
  /** Declared on every Query, Mutation and Subscription field (a test walks the schema for it). */
  allow: Audience[];
  /** True on the few operations an account may use before it changes its initial password. */
  duringPasswordChange?: boolean;
  /** A right that, delegated (ủy quyền), also opens this operation to the deputy. */
  delegable?: Array<'SIGN' | 'REVIEW'>;
}

/**
 * Declares who may use an operation or a sensitive field. Finer rules (which unit, which document)
 * are CASL's, checked in the services; this is the first gate.
 */
export function Allow(...audience: Audience[]): MethodDecorator & PropertyDecorator {
  const ext: AccessExtensions = { allow: audience };
  const extensions = Extensions(ext);
  const authorized = audience.includes('PUBLIC') ? null : Authorized(...audience.filter((a) => a !== 'AUTHENTICATED'));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, key, descriptor as PropertyDescriptor);
    authorized?.(target, key, descriptor as PropertyDescriptor);
  };
}

/** Marks an operation usable by an account that still has to change its initial password. */
export function AllowedDuringPasswordChange(): MethodDecorator {
  return Extensions({ duringPasswordChange: true });
}

/** Opens an operation also to whoever holds one of these delegated rights today (the service checks the scope). */
export function AllowDelegated(...rights: Array<'SIGN' | 'REVIEW'>): MethodDecorator {
  return Extensions({ delegable: rights });
}
