import * as argon2 from 'argon2';

/**
 * argon2id password hashes (OWASP's recommended parameters: 19 MiB, 2 iterations, 1 lane). The
 * encoded hash carries its parameters, so hashes made with other settings still verify.
 */
export class PasswordHasher {
  /** a hash of a random password: verifying unknown emails against it costs as much as a real check */
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummy ??= this.hash(`no-such-operator-${Math.random()}`);
      await argon2.verify(await this.dummy, password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
