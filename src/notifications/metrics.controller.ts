import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/public.decorator.js';
import { UnauthenticatedError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import { LimitMetrics } from '../rate-limits/limit-metrics.js';
import { DeliveryMetrics } from './delivery-metrics.js';

@ApiTags('service')
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: DeliveryMetrics,
    private readonly limits: LimitMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    const token = config.getOrThrow('notifications', { infer: true }).metricsToken;
    this.token = token ? Buffer.from(`Bearer ${token}`) : undefined;
  }

  /** Delivery and rate-limit counters of this process in Prometheus text format. Needs `Bearer <METRICS_TOKEN>` when that is set. */
  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'otpgate_deliveries_total{provider,outcome}, otpgate_rate_limited_total{limit}, otpgate_otp_locks_total{scope}', content: { 'text/plain': { schema: { type: 'string' } } } })
  read(@Headers('authorization') authorization?: string): string {
    if (this.token) {
      const given = Buffer.from(authorization ?? '');
      if (given.length !== this.token.length || !timingSafeEqual(given, this.token)) {
        throw new UnauthenticatedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    return this.metrics.toPrometheus() + this.limits.toPrometheus();
  }
}
