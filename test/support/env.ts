// Environment of every e2e test file. Secrets are fixed test values. With DATABASE_URL and REDIS_URL set (CI
// sets both), the suites run on those servers, else on the embedded defaults; either way each jest worker
// gets backends of its own (see the end of this file).
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
// Files run in parallel, one per jest worker at a time: this worker's own database and Redis database, or
// the DATA_DIR of its embedded database, prepared by global-setup.ts.
const backends = JSON.parse(process.env.TEST_WORKER_BACKENDS ?? '[]') as Record<string, string>[];
Object.assign(process.env, backends[Number(process.env.JEST_WORKER_ID ?? 1) - 1]);
