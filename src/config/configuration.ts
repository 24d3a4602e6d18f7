import { appConfig, type AppConfig } from './app.config.js';
import { authConfig, type AuthConfig } from './auth.config.js';
import { backendsConfig, type BackendsConfig } from './backends.config.js';
import { googleConfig, type GoogleConfig } from './google.config.js';
import { limitsConfig, type LimitsConfig } from './limits.config.js';
import { notificationsConfig, type NotificationsConfig } from './notifications.config.js';
import { otpConfig, type OtpConfig } from './otp.config.js';

/** Every config namespace, loaded and validated once at start-up by ConfigModule. */
export const configurations = [appConfig, backendsConfig, otpConfig, authConfig, notificationsConfig, googleConfig, limitsConfig];

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
