import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from '../config/auth.config.js';

/**
 * Compact JWS signing and signature checks with node:crypto. jose 6 (which publishes our keys, and which the
 * downstream example verifies with) goes through WebCrypto, ~4x the cost per token on this machine; a
 * differential spec holds these functions to jose's answers.
 *
 * Asymmetric signatures are made and checked on libuv's thread pool (node:crypto's callback form): an ECDSA
 * signature is ~25 µs and a check ~70 µs of CPU, which on the event loop would delay every other request;
 * HMAC (~2 µs) stays inline.
 */
export function signJws(algorithm: JwtAlgorithm, key: KeyObject, signingInput: string): Promise<string> {
  if (algorithm === 'HS256') return Promise.resolve(createHmac('sha256', key).update(signingInput).digest('base64url'));
  return new Promise((resolve, reject) =>
    sign(digestOf(algorithm), Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, (error, signature) =>
      error ? reject(error) : resolve(signature.toString('base64url')),
    ),
  );
}

/** Is `signature` (base64url) a signature of `signingInput` by `key` under `algorithm`? Constant time for HS256. */
export function verifyJws(algorithm: JwtAlgorithm, key: KeyObject, signingInput: string, signature: string): Promise<boolean> {
  const given = Buffer.from(signature, 'base64url');
  // Canonical base64url only: a signature with other padding bits than its encoding must not pass.
  if (given.toString('base64url') !== signature) return Promise.resolve(false);
  if (algorithm === 'HS256') {
    const expected = createHmac('sha256', key).update(signingInput).digest();
    return Promise.resolve(given.length === expected.length && timingSafeEqual(given, expected));
  }
  if (algorithm === 'ES256' && given.length !== 64) return Promise.resolve(false);
  return new Promise((resolve) =>
    verify(digestOf(algorithm), Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, given, (error, valid) => resolve(!error && valid)),
  );
}

function digestOf(algorithm: Exclude<JwtAlgorithm, 'HS256'>): string | null {
  return algorithm === 'EdDSA' ? null : 'sha256';
}

/** The JSON object a base64url segment holds, or undefined. */
export function parseSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
