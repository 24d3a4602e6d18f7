import { NoticeSealer } from './delivery-job.js';

describe('NoticeSealer', () => {
  const sealer = new NoticeSealer('a-secret-that-is-long-enough-0123456789');
  const notice = { kind: 'code', code: '123456', purpose: 'LOGIN', ttlSeconds: 120 } as const;

  it('seals so that the code is not readable, and opens what it sealed', () => {
    const sealed = sealer.seal(notice);
    expect(sealed).not.toContain('123456');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('123456');
    expect(sealer.open(sealed)).toEqual(notice);
  });

  it('uses a fresh IV for every message, across refills of its random block', () => {
    const ivs = new Set(Array.from({ length: 1000 }, () => Buffer.from(sealer.seal(notice), 'base64url').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(1000);
  });

  it('refuses a tampered or foreign message', () => {
    const sealed = Buffer.from(sealer.seal(notice), 'base64url');
    sealed[sealed.length - 1] ^= 1;
    expect(() => sealer.open(sealed.toString('base64url'))).toThrow();
    expect(() => new NoticeSealer('another-secret-that-is-long-enough-000').open(sealer.seal(notice))).toThrow();
  });
});
