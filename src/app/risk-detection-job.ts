import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { RiskApi } from '../modules/risk/index.ts';
import type { RecurringJob } from '../platform/scheduler/index.ts';

/**
 * Anomaly detection as a recurring job of the workers (docs/risk.md): each run processes the
 * closed windows since the watermark. The scheduler runs it on one instance at a time, and the
 * watermark, moved in the transaction that stores a window's results only if no one moved it
 * first, keeps two runs that overlap from processing a window twice.
 */
export function riskDetectionJob(risk: Pick<RiskApi, 'detect'>, everyMs: number, logger: Logger): RecurringJob {
  return {
    kind: 'risk.detection',
    everyMs,
    async run() {
      const alerts = await risk.detect();
      if (alerts.length > 0) logger.info({ alerts: alerts.length }, 'risk detection raised alerts');
    },
  };
}

/** `portico_risk_alerts_total{rule,severity}`: alerts raised (a new alert, not one raised again). */
export function riskMetrics(registry: Registry): (alert: { rule: string; severity: string }, isNew: boolean) => void {
  const raised = new Counter({ name: 'portico_risk_alerts_total', help: 'Risk alerts raised, by rule and severity', labelNames: ['rule', 'severity'], registers: [registry] });
  return (alert, isNew) => {
    if (isNew) raised.inc({ rule: alert.rule, severity: alert.severity });
  };
}
