import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): about 20–50 ms
 * a hash here. Hashes are PHC strings carrying their parameters, so raising them later
 * still verifies older hashes.
 */
export const ARGON2_OPTIONS: Options = {
  // Algorithm is a const enum of the native package; 2 is Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export class PasswordHasher {
  private dummyHash: Promise<string>;

  constructor(private readonly options: Options = ARGON2_OPTIONS) {
    // Computed at once, so even the first unknown address costs no more than a known one.
    this.dummyHash = this.hash(randomBytes(32).toString('base64url'));
    this.dummyHash.catch(() => undefined);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  /** False for a wrong password and for a stored hash that cannot be read. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends one verification against a hash of nothing, for unknown e-mail addresses: a
   * sign-in with an unknown address takes as long as one with a wrong password.
   */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
