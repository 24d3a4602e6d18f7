import { appConfig, type AppConfig } from './app.config.js';
import { authConfig, type AuthConfig } from './auth.config.js';
import { backendsConfig, type BackendsConfig } from './backends.config.js';
import { collectConfigProblems, ConfigError } from './env.js';
import { googleConfig, type GoogleConfig } from './google.config.js';
import { limitsConfig, type LimitsConfig } from './limits.config.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';
import { otpConfig, type OtpConfig } from './otp.config.js';

/** Every config namespace, loaded and validated once at start-up by ConfigModule. */
export const configurations = [appConfig, backendsConfig, otpConfig, authConfig, notificationsConfig, googleConfig, limitsConfig];

/**
 * Reads every namespace once before anything starts, and throws one ConfigError that lists every problem
 * (one a line when there are several): an operator fixes them in one go, rather than one per start as the
 * first error ConfigModule met came out.
 */
export function checkConfiguration(): void {
  const problems = collectConfigProblems(configurations);
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) throw new ConfigError(`${problems.length} problems\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

/** Shape of the whole configuration, for `ConfigService<Configuration, true>`. */
export interface Configuration {
  app: AppConfig;
  backends: BackendsConfig;
  otp: OtpConfig;
  auth: AuthConfig;
  notifications: NotificationsConfig;
  google: GoogleConfig;
  limits: LimitsConfig;
}
