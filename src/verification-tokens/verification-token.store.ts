/**
 * Where verification tokens live, by the hash of the token (`vt:<sha256>`), holding what the token is
 * bound to (purpose and identifier). `take` is an atomic check-and-consume.
 */
export abstract class VerificationTokenStore {
  abstract save(tokenHash: string, binding: string, ttlMs: number): Promise<void>;

  /**
   * Deletes the token if it exists and is bound to `binding`, returning the milliseconds it had left;
   * returns undefined (and leaves the token alone) otherwise.
   */
  abstract take(tokenHash: string, binding: string): Promise<number | undefined>;

  /** Puts a taken token back for its remaining life, after the work it was taken for failed. */
  abstract restore(tokenHash: string, binding: string, ttlMs: number): Promise<void>;
}

export function verificationTokenKey(tokenHash: string): string {
  return `vt:${tokenHash}`;
}
