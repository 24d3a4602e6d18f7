import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAppConfig } from './app.config.js';
import { readAuthConfig } from './auth.config.js';
import { readBackendsConfig } from './backends.config.js';
import { collectConfigProblems, ConfigError } from './env.js';
import { readGoogleConfig } from './google.config.js';
import { readLimitsConfig } from './limits.config.js';
import { readNotificationsConfig } from './notifications.config.js';
import { readOtpConfig } from './otp.config.js';

/** What `openssl rand -hex 32` gives; each secret its own. */
const strong = 'ae04ee76e9c36d07b413820122658ab5a63c535de5d21e7bfff4627fde98a1cd';
const keysSecret = 'aabc500fb91611794b0178edf326347da4ffda6310185d88d1606ecd98f847dd';
const hmacSecret = 'Xq3F6S0w2AsPnxpO6VbOasxQ/4wzluS3yy2Yy2ChY0o=';

describe('configuration', () => {
  it('has the contract defaults', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(readOtpConfig({ DATA_DIR: dataDir })).toMatchObject({ length: 6, ttlSeconds: 120, maxAttempts: 5, resendCooldownSeconds: 60, debugEcho: false });
    expect(readAuthConfig({ DATA_DIR: dataDir })).toMatchObject({ accessTtlSeconds: 3600, refreshTtlSeconds: 14 * 86_400, verificationTokenTtlSeconds: 600 });
    expect(readAppConfig({})).toMatchObject({ port: 3000, bodyLimitBytes: 16_384, phoneDefaultRegion: 'BD' });
  });

  it('has the abuse limits of the issue as defaults', () => {
    expect(readLimitsConfig({})).toEqual({
      identifier: { perHour: 5, perDay: 10, lockoutAfterKilledCodes: 3, lockoutWindowSeconds: 3600, lockoutSeconds: 900 },
      ip: { windowSeconds: 600, otpRequests: 20, otpVerifies: 60, ipv6PrefixLength: 64 },
      usernameChanges: { limit: 10, windowSeconds: 3600 },
      sms: { dailyCap: 10_000, prefixDigits: 6, prefixLimit: 50, prefixWindowSeconds: 600 },
    });
    expect(readLimitsConfig({ SMS_DAILY_CAP: '0', IP_LIMIT_IPV6_PREFIX: '48' })).toMatchObject({ sms: { dailyCap: 0 }, ip: { ipv6PrefixLength: 48 } });
    expect(() => readLimitsConfig({ OTP_HOURLY_LIMIT: '0' })).toThrow(/OTP_HOURLY_LIMIT must be between 1/);
    expect(() => readLimitsConfig({ IP_LIMIT_IPV6_PREFIX: '8' })).toThrow(/IP_LIMIT_IPV6_PREFIX/);
  });

  it('creates a random development secret once and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const first = readAuthConfig({ DATA_DIR: dataDir, JWT_ALGORITHM: 'HS256' }).jwtSecret;
    expect(first).toHaveLength(43);
    expect(readAuthConfig({ DATA_DIR: dataDir, JWT_ALGORITHM: 'HS256' }).jwtSecret).toBe(first);
    // Under ES256 that secret is kept (it verifies its older tokens); a fresh directory gets none.
    expect(readAuthConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect(readAuthConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) }).jwtSecret).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')).JWT_SECRET).toBe(first);
  });

  it.each([
    [{ OTP_TTL_SECONDS: 'abc' }, /OTP_TTL_SECONDS must be a whole number/],
    [{ OTP_TTL_SECONDS: '0' }, /OTP_TTL_SECONDS must be between/],
    [{ OTP_DEBUG_ECHO: 'maybe' }, /OTP_DEBUG_ECHO must be true or false/],
  ])('refuses %j', (env, message) => {
    expect(() => readOtpConfig({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) })).toThrow(message);
  });

  it('names hot statements only on an external PostgreSQL, unless told not to', () => {
    expect(readBackendsConfig({}).preparedStatements).toBe(false);
    expect(readBackendsConfig({ DATABASE_URL: 'postgresql://h/db' }).preparedStatements).toBe(true);
    expect(readBackendsConfig({ DATABASE_URL: 'postgresql://h/db', DATABASE_PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false);
  });

  it('bounds requests in flight by default, and takes 0 for no bound', () => {
    expect(readAppConfig({}).maxRequestsInFlight).toBe(2000);
    expect(readAppConfig({ MAX_REQUESTS_IN_FLIGHT: '0' }).maxRequestsInFlight).toBe(0);
    expect(() => readAppConfig({ MAX_REQUESTS_IN_FLIGHT: '-1' })).toThrow(/MAX_REQUESTS_IN_FLIGHT/);
  });

  it('refuses a bad region and a non-postgres DATABASE_URL', () => {
    expect(() => readAppConfig({ PHONE_DEFAULT_REGION: 'XX' })).toThrow(/PHONE_DEFAULT_REGION/);
    expect(() => readBackendsConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must use/);
  });

  describe('in production', () => {
    const prod = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://auth.example.com',
      DATABASE_URL: 'postgres://db/x',
      REDIS_URL: 'redis://r',
      JWT_SECRET: strong,
      JWT_KEYS_SECRET: keysSecret,
      OTP_HMAC_SECRET: hmacSecret,
    };

    it('accepts random secrets whatever letters they happen to contain', () => {
      const unlucky = 'xxxSecretExample9f8e7d6c5b4a3210zyxwVUTSRQPo';
      expect(readAuthConfig({ ...prod, JWT_SECRET: unlucky }).jwtSecret).toBe(unlucky);
    });

    it('accepts a complete configuration', () => {
      expect(readBackendsConfig(prod)).toMatchObject({ databaseUrl: 'postgres://db/x', redisUrl: 'redis://r' });
      expect(readAuthConfig(prod).jwtSecret).toBe(strong);
    });

    it.each([
      [{ DATABASE_URL: '' }, readBackendsConfig, /DATABASE_URL is required in production/],
      [{ REDIS_URL: '' }, readBackendsConfig, /REDIS_URL is required in production/],
      [{ JWT_KEYS_SECRET: '' }, readAuthConfig, /JWT_KEYS_SECRET is required in production/],
      [{ JWT_ALGORITHM: 'HS256', JWT_SECRET: '' }, readAuthConfig, /JWT_SECRET is required in production/],
      [{ JWT_SECRET: 'short' }, readAuthConfig, /JWT_SECRET must be at least 32 random bytes/],
      [{ JWT_SECRET: 'change-me-change-me-change-me-change-me' }, readAuthConfig, /JWT_SECRET must be at least 32 random bytes/],
      [{ JWT_SECRET: 'a'.repeat(40) }, readAuthConfig, /JWT_SECRET must be at least 32 random bytes/],
      [{ OTP_HMAC_SECRET: '' }, readOtpConfig, /OTP_HMAC_SECRET is required in production/],
      [{ OTP_DEBUG_ECHO: 'true' }, readOtpConfig, /OTP_DEBUG_ECHO must not be enabled/],
    ] as const)('refuses %j', (override, reader, message) => {
      expect(() => reader({ ...prod, ...override })).toThrow(message);
    });
  });
});

describe('notifications configuration', () => {
  it('defaults to the console senders, BD only, 5 attempts from 1 s', () => {
    expect(readNotificationsConfig({})).toMatchObject({
      emailProvider: 'console',
      smsProvider: 'console',
      smsAllowedCountries: ['BD'],
      deliveryMaxAttempts: 5,
      deliveryBackoffMs: 1000,
      deliveryWorker: true,
    });
  });

  it.each([
    [{ EMAIL_PROVIDER: 'smtp' }, /SMTP_URL is required when EMAIL_PROVIDER=smtp/],
    [{ EMAIL_PROVIDER: 'smtp', SMTP_URL: 'smtp://mail' }, /MAIL_FROM is required when EMAIL_PROVIDER=smtp/],
    [{ EMAIL_PROVIDER: 'smtp', SMTP_URL: 'http://mail', MAIL_FROM: 'a@b.c' }, /SMTP_URL must use smtp: or smtps:/],
    [{ SMS_PROVIDER: 'bulksmsbd' }, /BULKSMSBD_API_KEY is required when SMS_PROVIDER=bulksmsbd/],
    [{ SMS_PROVIDER: 'bulksmsbd', BULKSMSBD_API_KEY: 'k' }, /BULKSMSBD_SENDER_ID is required when SMS_PROVIDER=bulksmsbd/],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }, /TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/],
    [{ SMS_PROVIDER: 'twilio', TWILIO_FROM: '+1' }, /TWILIO_ACCOUNT_SID is required when SMS_PROVIDER=twilio/],
    [{ SMS_PROVIDER: 'carrier-pigeon' }, /SMS_PROVIDER must be one of console, outbox, bulksmsbd, twilio/],
    [{ SMS_ALLOWED_COUNTRIES: 'BD,ZZ' }, /SMS_ALLOWED_COUNTRIES: "ZZ"/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => readNotificationsConfig(env)).toThrow(message);
  });

  it('never puts a secret in its error messages', () => {
    const attempt = () => readNotificationsConfig({ SMS_PROVIDER: 'twilio', TWILIO_AUTH_TOKEN: 'super-secret-token', TWILIO_ACCOUNT_SID: 'AC1' });
    expect(attempt).toThrow();
    expect(() => attempt()).not.toThrow(/super-secret-token/);
  });
});

describe('every problem at once (collectConfigProblems, what start-up reports)', () => {
  const readers = (env: NodeJS.ProcessEnv) =>
    [readAppConfig, readBackendsConfig, readOtpConfig, readAuthConfig, readNotificationsConfig, readGoogleConfig, readLimitsConfig].map(
      (read) => () => read(env),
    );

  it('lists every problem of a production start, each once, past the first of each reader', () => {
    const problems = collectConfigProblems(
      readers({
        NODE_ENV: 'production',
        PORT: 'abc',
        TRUST_PROXY: '10.0.0.0/8,nope',
        OTP_TTL_SECONDS: '0',
        JWT_ACCESS_TTL_SECONDS: '5',
        INTROSPECTION_SECRET: 'short',
        SMS_PROVIDER: 'twilio',
        GOOGLE_CLIENT_ID: 'id',
        OTP_DAILY_LIMIT: 'ten',
      }),
    );
    expect(problems).toEqual([
      'PORT must be a whole number, got "abc"',
      'TRUST_PROXY: "nope" is not an address, a CIDR, loopback, linklocal or uniquelocal',
      'PUBLIC_URL is required in production (the address clients use, e.g. https://auth.example.com)',
      'DATABASE_URL is required in production (the embedded database is for development)',
      'REDIS_URL is required in production (the in-process store is for development)',
      'OTP_TTL_SECONDS must be between 2 and 3600, got 0',
      'OTP_HMAC_SECRET is required in production (make one with `openssl rand -hex 32`)',
      'JWT_KEYS_SECRET is required in production (make one with `openssl rand -hex 32`)',
      'INTROSPECTION_SECRET must be at least 32 random bytes in production, as hex (64+ characters) or base64 (43+ characters): it must be at least 32 bytes written as hex (64+ characters) or base64 (43+ characters); make one with `openssl rand -hex 32`',
      'JWT_ACCESS_TTL_SECONDS must be between 30 and 86400, got 5',
      'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when SMS_PROVIDER=twilio',
      'TWILIO_ACCOUNT_SID is required when SMS_PROVIDER=twilio',
      'TWILIO_AUTH_TOKEN is required when SMS_PROVIDER=twilio',
      'GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_CALLBACK_URL go together: set all three or none',
      'OTP_DAILY_LIMIT must be a whole number, got "ten"',
    ]);
  });

  it('finds nothing in a complete configuration', () => {
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://r' };
    const secrets = { OTP_HMAC_SECRET: 'qF3zL8vN1xR6tB0mK5wY9cH2jD7pS4gA-eU_iO3nV8b', JWT_KEYS_SECRET: 'Zt6Wm1Qr9Lx4Ny8Kc3Vb7Hd2Pf5Gj0Ts-aE_oI6uR1w' };
    expect(collectConfigProblems(readers({ ...env, ...secrets }))).toEqual([]);
  });

  it('throws at the first problem outside a collection, and lets other errors through a collection', () => {
    expect(() => readAppConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(new ConfigError('PORT must be a whole number, got "abc"'));
    expect(() => collectConfigProblems([() => readAppConfig({ PORT: 'abc' }), () => { throw new TypeError('a bug'); }])).toThrow(TypeError);
    // the collection is over: the readers throw again
    expect(() => readAppConfig({ PORT: 'abc' })).toThrow(ConfigError);
  });
});
