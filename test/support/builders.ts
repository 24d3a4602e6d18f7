import { randomInt, randomUUID } from 'node:crypto';

/** Unique test data, so tests never collide even when state is shared. */
export const build = {
  email: (prefix = 'user') => `${prefix}.${randomUUID().slice(0, 8)}@example.com`,
  /** A valid Bangladeshi mobile number in E.164 (the default region's). */
  phone: () => `+88017${String(randomInt(0, 100_000_000)).padStart(8, '0')}`,
  username: (prefix = 'u') => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 12)}`,
};
