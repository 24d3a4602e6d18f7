import { Controller, Get, Header, Headers, Logger } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/public.decorator.js';
import { DomainError, UnauthenticatedError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import { LimitMetrics } from '../rate-limits/limit-metrics.js';
import { DeliveryMetrics } from './delivery-metrics.js';

/**
 * In production, metrics are served only behind METRICS_TOKEN: without it GET /metrics answers 404 (and the
 * start-up log says why) rather than the service refusing to start, so a first production start needs no
 * more than the database, Redis and the signing secrets, and nothing is public meanwhile. In development
 * and test they are open unless METRICS_TOKEN is set.
 */
@ApiTags('service')
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;
  /** Production without METRICS_TOKEN: nothing is served. */
  private readonly off: boolean;

  constructor(
    private readonly metrics: DeliveryMetrics,
    private readonly limits: LimitMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    const token = config.getOrThrow('notifications', { infer: true }).metricsToken;
    this.token = token ? Buffer.from(`Bearer ${token}`) : undefined;
    this.off = !token && config.getOrThrow('app.nodeEnv', { infer: true }) === 'production';
    if (this.off) new Logger('Metrics').warn('GET /metrics is off: in production it is served only with METRICS_TOKEN set');
  }

  /** Delivery and rate-limit counters of this process in Prometheus text format. Needs `Bearer <METRICS_TOKEN>` when that is set; in production it must be. */
  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'otpgate_deliveries_total{provider,outcome}, otpgate_rate_limited_total{limit}, otpgate_otp_locks_total{scope}', content: { 'text/plain': { schema: { type: 'string' } } } })
  read(@Headers('authorization') authorization?: string): string {
    if (this.off) throw new DomainError('NOT_FOUND', 'GET /metrics is served in production only when METRICS_TOKEN is set');
    if (this.token) {
      const given = Buffer.from(authorization ?? '');
      if (given.length !== this.token.length || !timingSafeEqual(given, this.token)) {
        throw new UnauthenticatedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    return this.metrics.toPrometheus() + this.limits.toPrometheus();
  }
}
