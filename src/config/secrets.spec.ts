import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuthConfig } from './auth.config.js';
import { readNotificationsConfig } from './notifications.config.js';
import { readOtpConfig } from './otp.config.js';
import { strongSecretProblem } from './secrets.js';

/** Values of `openssl rand -hex 32` / `-base64 32` and Node's base64url, one per variable. */
const secrets = {
  JWT_SECRET: '3f2aacb03856958c3d03aeb9750559dea02ccf428b0a102f3f846a48b04d616c',
  JWT_KEYS_SECRET: 'f9a3e14e2ab9bac2ac438844f49a665aa044170c06885b000215de0b4cf82a64',
  OTP_HMAC_SECRET: 'SO7l-7JduyejCh2ABdRclsYo4QjaWUpY3v664SQs2x8',
  METRICS_TOKEN: '2bebdd7610008831793db3ea0cd86e9f435fdd62ad9455c42351a4fddb7315c0',
  INTROSPECTION_SECRET: 'Xq3F6S0w2AsPnxpO6VbOasxQ/4wzluS3yy2Yy2ChY0o=',
};
const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://r', ...secrets };

describe('production secrets', () => {
  it('accepts what openssl and Node make, every time (2,000 draws of each form)', () => {
    for (let i = 0; i < 2000; i++) {
      for (const value of [
        randomBytes(32).toString('hex'),
        randomBytes(32).toString('base64'),
        randomBytes(32).toString('base64url'),
        randomBytes(48).toString('base64'),
        randomBytes(64).toString('hex').toUpperCase(),
      ]) {
        expect([value, strongSecretProblem(value)]).toEqual([value, undefined]);
      }
    }
  });

  it.each([
    ['a repeated pattern', 'abcdefghij'.repeat(4)],
    ['a longer repeated pattern', 'abcdefghijK'.repeat(4)],
    ['repeated hex', 'abcdef0123456789'.repeat(4)],
    ['a random value with its start repeated', `${secrets.OTP_HMAC_SECRET}${secrets.OTP_HMAC_SECRET.slice(0, 10)}`],
    ['an alphabet', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq'],
    ['one character', 'a'.repeat(64)],
    ['a phrase', 'thequickbrownfoxjumpsoverthelazydogwhilethecatsleeps'],
    ['too short hex (16 bytes)', randomBytes(16).toString('hex')],
    ['too short base64 (24 bytes)', randomBytes(24).toString('base64url')],
    ['a password with symbols', 'Tr0ub4dor&3!Correct#Horse$Battery%Staple^2024'],
    ['a placeholder', `change-me-${randomBytes(32).toString('hex')}`],
    ['uneven hex', '0000000000000000000000000000000000000000000000000000000000f1e2d3'],
  ])('refuses %s', (_, value) => {
    expect(strongSecretProblem(value)).toEqual(expect.any(String));
  });

  it('refuses a weak JWT_SECRET at start-up, saying how to make a good one and never quoting it', () => {
    const weak = 'abcdefghij'.repeat(4);
    const attempt = () => readAuthConfig({ ...prod, JWT_SECRET: weak });
    expect(attempt).toThrow(/JWT_SECRET must be at least 32 random bytes in production.*openssl rand -hex 32/);
    expect(attempt).not.toThrow(new RegExp(weak));
  });

  it.each([
    ['OTP_HMAC_SECRET', 'JWT_SECRET', readOtpConfig],
    ['JWT_SECRET', 'OTP_HMAC_SECRET', readAuthConfig],
    ['METRICS_TOKEN', 'JWT_KEYS_SECRET', readNotificationsConfig],
    ['INTROSPECTION_SECRET', 'OTP_HMAC_SECRET', readAuthConfig],
  ] as const)('refuses %s equal to %s', (name, twin, reader) => {
    const attempt = () => reader({ ...prod, [name]: secrets[twin] });
    expect(attempt).toThrow(new RegExp(`${name} must differ from ${twin}: .*openssl rand -hex 32`));
  });

  it('refuses one of several INTROSPECTION_SECRET entries equal to another secret, or weak', () => {
    expect(() => readAuthConfig({ ...prod, INTROSPECTION_SECRET: `${secrets.INTROSPECTION_SECRET},${secrets.METRICS_TOKEN}` })).toThrow(
      /INTROSPECTION_SECRET must differ from METRICS_TOKEN/,
    );
    expect(() => readAuthConfig({ ...prod, INTROSPECTION_SECRET: `${secrets.INTROSPECTION_SECRET},${'0123456789'.repeat(5)}` })).toThrow(
      /INTROSPECTION_SECRET must be at least 32 random bytes/,
    );
  });

  it('holds METRICS_TOKEN to the same rules in production, and not elsewhere', () => {
    expect(() => readNotificationsConfig({ ...prod, METRICS_TOKEN: 'metrics' })).toThrow(/METRICS_TOKEN must be at least 32 random bytes/);
    expect(readNotificationsConfig({ ...prod }).metricsToken).toBe(secrets.METRICS_TOKEN);
    expect(readNotificationsConfig({ METRICS_TOKEN: 'metrics' }).metricsToken).toBe('metrics');
  });

  it('accepts a complete set of distinct strong secrets, and leaves development alone', () => {
    expect(readAuthConfig(prod)).toMatchObject({ jwtSecret: secrets.JWT_SECRET, keysSecret: secrets.JWT_KEYS_SECRET, introspectionSecrets: [secrets.INTROSPECTION_SECRET] });
    expect(readOtpConfig(prod).hmacSecret).toBe(secrets.OTP_HMAC_SECRET);
    const dataDir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const shared = 'x'.repeat(32);
    expect(readOtpConfig({ DATA_DIR: dataDir, JWT_SECRET: shared, OTP_HMAC_SECRET: shared }).hmacSecret).toBe(shared);
  });
});
