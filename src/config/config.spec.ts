import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAppConfig } from './app.config.js';
import { readAuthConfig } from './auth.config.js';
import { readBackendsConfig } from './backends.config.js';
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
    const first = readAuthConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first).toHaveLength(43);
    expect(readAuthConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
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
