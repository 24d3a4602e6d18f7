import { registerAs } from '@nestjs/config';
import { isSupportedCountry } from 'libphonenumber-js';
import { NODE_ENVS } from './app.config.js';
import { configProblem, readBool, readEnum, readInt, readOptional, readString, readUrl } from './env.js';
import { readOptionalSecret } from './secrets.js';

export const EMAIL_PROVIDERS = ['console', 'outbox', 'smtp'] as const;
export const SMS_PROVIDERS = ['console', 'outbox', 'bulksmsbd', 'twilio'] as const;

export interface NotificationsConfig {
  emailProvider: (typeof EMAIL_PROVIDERS)[number];
  smsProvider: (typeof SMS_PROVIDERS)[number];
  smtp?: { url: string; from: string };
  bulkSmsBd?: { baseUrl: string; apiKey: string; senderId: string };
  twilio?: { baseUrl: string; accountSid: string; authToken: string; from?: string; messagingServiceSid?: string };
  /** ISO regions whose numbers may receive an SMS (and so be used as identifiers). */
  smsAllowedCountries: string[];
  /** How long one call to a provider may take. */
  providerTimeoutMs: number;
  /** Tries per message, the first included. */
  deliveryMaxAttempts: number;
  /** First retry delay; doubles on each retry. */
  deliveryBackoffMs: number;
  /** Whether this process runs the delivery worker (with Redis; the embedded default always delivers in-process). */
  deliveryWorker: boolean;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Prefix of the BullMQ keys in Redis; deployments that share a Redis need distinct prefixes. */
  queuePrefix: string;
}

export function readNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const emailProvider = readEnum(env, 'EMAIL_PROVIDER', EMAIL_PROVIDERS, 'console');
  const smsProvider = readEnum(env, 'SMS_PROVIDER', SMS_PROVIDERS, 'console');
  const required = (name: string) => {
    const value = readOptional(env, name);
    if (!value) configProblem(`${name} is required when ${name.startsWith('SMTP') || name === 'MAIL_FROM' ? 'EMAIL_PROVIDER=smtp' : `SMS_PROVIDER=${smsProvider}`}`);
    return value ?? '';
  };
  const smsAllowedCountries = readString(env, 'SMS_ALLOWED_COUNTRIES', 'BD')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  for (const country of smsAllowedCountries) {
    if (!isSupportedCountry(country)) configProblem(`SMS_ALLOWED_COUNTRIES: "${country}" is not a known region code`);
  }
  return {
    emailProvider,
    smsProvider,
    smtp:
      emailProvider === 'smtp'
        ? { url: readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']) ?? required('SMTP_URL'), from: required('MAIL_FROM') }
        : undefined,
    bulkSmsBd:
      smsProvider === 'bulksmsbd'
        ? {
            baseUrl: readUrl(env, 'BULKSMSBD_BASE_URL', ['http:', 'https:']) ?? 'http://bulksmsbd.net/api/smsapi',
            apiKey: required('BULKSMSBD_API_KEY'),
            senderId: required('BULKSMSBD_SENDER_ID'),
          }
        : undefined,
    twilio: smsProvider === 'twilio' ? readTwilio(env, required) : undefined,
    smsAllowedCountries,
    providerTimeoutMs: readInt(env, 'PROVIDER_TIMEOUT_MS', 5000, { min: 100, max: 60_000 }),
    deliveryMaxAttempts: readInt(env, 'DELIVERY_MAX_ATTEMPTS', 5, { min: 1, max: 20 }),
    deliveryBackoffMs: readInt(env, 'DELIVERY_BACKOFF_MS', 1000, { min: 10, max: 60_000 }),
    deliveryWorker: readBool(env, 'DELIVERY_WORKER', true),
    metricsToken: readOptionalSecret(env, 'METRICS_TOKEN', readEnum(env, 'NODE_ENV', NODE_ENVS, 'development')),
    queuePrefix: readString(env, 'QUEUE_PREFIX', 'otpgate'),
  };
}

function readTwilio(env: NodeJS.ProcessEnv, required: (name: string) => string): NotificationsConfig['twilio'] {
  const from = readOptional(env, 'TWILIO_FROM');
  const messagingServiceSid = readOptional(env, 'TWILIO_MESSAGING_SERVICE_SID');
  if (!from && !messagingServiceSid) {
    configProblem('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when SMS_PROVIDER=twilio');
  }
  return {
    baseUrl: readUrl(env, 'TWILIO_BASE_URL', ['http:', 'https:']) ?? 'https://api.twilio.com',
    accountSid: required('TWILIO_ACCOUNT_SID'),
    authToken: required('TWILIO_AUTH_TOKEN'),
    from,
    messagingServiceSid,
  };
}

export const notificationsConfig = registerAs('notifications', () => readNotificationsConfig());
