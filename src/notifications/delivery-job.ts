import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { CodeNotice } from './messages.js';

/**
 * One message to deliver, as it waits in the queue. The notice (which may hold a code) is sealed with
 * AES-256-GCM, so a queued job in Redis never holds a code in plain form; the job dies with the code.
 */
export interface DeliveryJob {
  /** Canonical identifier. */
  to: string;
  /** The sealed CodeNotice. */
  sealed: string;
  /** Epoch ms after which the message is pointless (the code has expired). */
  expiresAt: number;
}

const IV_BYTES = 12;

export class NoticeSealer {
  private readonly key: KeyObject;
  /**
   * IVs are cut from a block of CSPRNG output, refilled when used up: one system call per 341 IVs instead of
   * one per message (a separate randomBytes(12) was ~4 % of the CPU of a code request). A block is never
   * reused, so every IV is as random and as unique as before.
   */
  private ivBlock = Buffer.alloc(0);
  private ivOffset = 0;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'otpgate', 'delivery-queue', 32)));
  }

  seal(notice: CodeNotice): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(notice), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string): CodeNotice {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as CodeNotice;
  }

  private nextIv(): Buffer {
    if (this.ivOffset + IV_BYTES > this.ivBlock.length) {
      this.ivBlock = randomBytes(IV_BYTES * 341);
      this.ivOffset = 0;
    }
    return this.ivBlock.subarray(this.ivOffset, (this.ivOffset += IV_BYTES));
  }
}
