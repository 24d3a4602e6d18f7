// Environment of every e2e test file. Secrets are fixed test values; DATABASE_URL and REDIS_URL pass
// through when set (CI sets both, so the suites run on the real servers), else the embedded defaults run.
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-jwt-secret-that-is-long-enough-0123456789';
process.env.JWT_KEYS_SECRET ??= 'test-jwt-keys-secret-that-is-long-enough-0123';
process.env.OTP_HMAC_SECRET ??= 'test-otp-secret-that-is-long-enough-0123456789';
process.env.PHONE_DEFAULT_REGION ??= 'BD';
// Every suite sends many codes from one address (loopback) and to few identifiers; the limits have their
// own suite (limits.e2e-spec.ts) with small numbers, the rest run with them out of the way.
for (const name of ['IP_LIMIT_OTP_REQUESTS', 'IP_LIMIT_OTP_VERIFIES', 'OTP_HOURLY_LIMIT', 'OTP_DAILY_LIMIT', 'SMS_DAILY_CAP', 'SMS_PREFIX_LIMIT']) {
  process.env[name] ??= '1000000';
}
