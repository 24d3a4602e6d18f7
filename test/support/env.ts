// Environment of every e2e test file. Secrets are fixed test values; DATABASE_URL and REDIS_URL pass
// through when set (CI sets both, so the suites run on the real servers), else the embedded defaults run.
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-jwt-secret-that-is-long-enough-0123456789';
process.env.OTP_HMAC_SECRET ??= 'test-otp-secret-that-is-long-enough-0123456789';
process.env.PHONE_DEFAULT_REGION ??= 'BD';
