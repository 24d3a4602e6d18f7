import { Injectable } from '@nestjs/common';

/** Every limit that can answer 429, as counted in `otpgate_rate_limited_total{limit}`. */
export type LimitName =
  | 'ip-otp-request'
  | 'ip-otp-verify'
  | 'identifier-cooldown'
  | 'identifier-hourly'
  | 'identifier-daily'
  | 'identifier-locked'
  | 'sms-daily-cap'
  | 'sms-prefix'
  | 'username-change';

/** Per-process counters of refused requests, served at /metrics next to the delivery counters. */
@Injectable()
export class LimitMetrics {
  private readonly refused = new Map<LimitName, number>();
  private readonly locks = { code: 0, identifier: 0 };

  countRefused(limit: LimitName): void {
    this.refused.set(limit, (this.refused.get(limit) ?? 0) + 1);
  }

  countLock(scope: keyof LimitMetrics['locks']): void {
    this.locks[scope] += 1;
  }

  refusedCount(limit: LimitName): number {
    return this.refused.get(limit) ?? 0;
  }

  toPrometheus(): string {
    const lines = [
      '# HELP otpgate_rate_limited_total Requests refused with 429 RATE_LIMITED, by limit. sms-daily-cap above 0 means SMS codes are paused.',
      '# TYPE otpgate_rate_limited_total counter',
      ...[...this.refused].sort(([a], [b]) => a.localeCompare(b)).map(([limit, n]) => `otpgate_rate_limited_total{limit="${limit}"} ${n}`),
      '# HELP otpgate_otp_locks_total Codes killed by wrong attempts (code) and identifiers locked after too many of them (identifier).',
      '# TYPE otpgate_otp_locks_total counter',
      `otpgate_otp_locks_total{scope="code"} ${this.locks.code}`,
      `otpgate_otp_locks_total{scope="identifier"} ${this.locks.identifier}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
