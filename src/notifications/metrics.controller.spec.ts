import type { ConfigService } from '@nestjs/config';
import type { Configuration } from '../config/configuration.js';
import { LimitMetrics } from '../rate-limits/limit-metrics.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { MetricsController } from './metrics.controller.js';

function controller(nodeEnv: string, metricsToken?: string): MetricsController {
  const values: Record<string, unknown> = { notifications: { metricsToken }, 'app.nodeEnv': nodeEnv };
  const config = { getOrThrow: (key: string) => values[key] } as unknown as ConfigService<Configuration, true>;
  return new MetricsController(new DeliveryMetrics(), new LimitMetrics(), config);
}

const TOKEN = '2bebdd7610008831793db3ea0cd86e9f435fdd62ad9455c42351a4fddb7315c0';

describe('GET /metrics', () => {
  it('is not served in production without METRICS_TOKEN, whatever the request carries', () => {
    const metrics = controller('production');
    for (const authorization of [undefined, 'Bearer ', `Bearer ${TOKEN}`]) {
      expect(() => metrics.read(authorization)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('METRICS_TOKEN') }));
    }
  });

  it('needs the token in production when it is set', () => {
    const metrics = controller('production', TOKEN);
    expect(() => metrics.read(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => metrics.read(`Bearer ${TOKEN.slice(1)}x`)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(metrics.read(`Bearer ${TOKEN}`)).toContain('otpgate_rate_limited_total');
  });

  it('is open in development and test unless METRICS_TOKEN is set', () => {
    expect(controller('development').read(undefined)).toContain('otpgate_deliveries_total');
    expect(controller('test').read(undefined)).toContain('otpgate_otp_locks_total');
    expect(() => controller('development', 'metrics').read(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});
