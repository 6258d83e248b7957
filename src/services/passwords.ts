import argon2 from 'argon2';

/** argon2id at OWASP's recommended minimum: 19 MiB of memory, 2 iterations, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashing with a cap on how many hashes run at once, so a burst of sign-ins cannot take all the
 * memory and both cores; the others wait their turn.
 */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private dummy?: Promise<string>;

  constructor(private readonly maxInFlight: number) {}

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxInFlight) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  hash(password: string): Promise<string> {
    return this.slot(() => argon2.hash(password, OPTIONS));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.slot(() => argon2.verify(hash, password).catch(() => false));
  }

  /** Spends the same time as a real check, for user names that do not exist. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= argon2.hash('not-a-password-of-anyone', OPTIONS);
    await this.verify(await this.dummy, password);
    return false;
  }
}
