import { Injectable } from '@nestjs/common';

export type DeliveryOutcome = 'sent' | 'retried' | 'failed' | 'dropped';

/** Per-process counters of deliveries by provider and outcome, served as Prometheus text at /metrics. */
@Injectable()
export class DeliveryMetrics {
  private readonly counts = new Map<string, number>();

  count(provider: string, outcome: DeliveryOutcome): void {
    const key = `${provider}\0${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(provider: string, outcome: DeliveryOutcome): number {
    return this.counts.get(`${provider}\0${outcome}`) ?? 0;
  }

  toPrometheus(): string {
    const lines = [
      '# HELP otpgate_deliveries_total Messages handed to a provider, by provider and outcome (sent, retried, failed, dropped).',
      '# TYPE otpgate_deliveries_total counter',
    ];
    for (const [key, value] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      const [provider, outcome] = key.split('\0');
      lines.push(`otpgate_deliveries_total{provider="${provider}",outcome="${outcome}"} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
