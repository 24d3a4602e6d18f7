import { createHmac, createSecretKey, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import type { OtpSlot } from './otp.store.js';

/** Makes codes and the keyed hashes that are stored instead of them. */
export class OtpHasher {
  private readonly key: KeyObject;

  constructor(
    secret: string,
    private readonly length: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** A uniformly random code of `length` digits, leading zeros included. */
  generate(): string {
    return randomInt(0, 10 ** this.length)
      .toString()
      .padStart(this.length, '0');
  }

  /** HMAC-SHA256 of the code bound to its slot, truncated to 128 bits: a code cannot be replayed elsewhere. */
  hash(slot: OtpSlot, code: string): string {
    return createHmac('sha256', this.key)
      .update(`${slot.purpose}\0${slot.identifier}\0${slot.subject ?? ''}\0${code}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  /** A value of the same shape as `hash` that no code matches: what phantom flows store. */
  unmatchable(): string {
    return randomBytes(16).toString('base64url');
  }
}
