import { canonicalJson, sha256, type Decision, type JournalLine } from '@regimen/core';
import { appendJournal, readJournal } from './journal.js';
import { postJson, type WebhookPolicy } from './webhook.js';

/**
 * Delivery of journaled decisions to a webhook, never lost and never repeated once acknowledged.
 * A call with `--webhook` journals each new decision with `delivery: pending`; this module then
 * POSTs every decision whose latest delivery record is not `delivered`, oldest first, and appends a
 * `delivery` line for each outcome. It stops at the first failure, so a receiver sees decisions in
 * bar order; what is left stays pending and the next call with `--webhook` sends it.
 * At least once: a process killed after the receiver answered 2xx but before the `delivered` line
 * is durable sends that decision again on the next call — with the same Idempotency-Key header,
 * so a receiver can drop the repeat.
 */
export interface PendingDelivery {
  decision: Decision;
  /** attempts made by earlier calls */
  attempts: number;
}

export function pendingDeliveries(lines: JournalLine[]): PendingDelivery[] {
  const byBar = new Map<number, PendingDelivery & { status: string }>();
  for (const l of lines) {
    if (l.type === 'decision') {
      if (l.delivery) byBar.set(l.decision.bar, { decision: l.decision, attempts: l.delivery.attempts, status: l.delivery.status });
    } else {
      const p = byBar.get(l.bar);
      if (p && p.decision.time === l.time) {
        p.status = l.delivery.status;
        p.attempts = l.delivery.attempts;
      }
    }
  }
  return [...byBar.values()]
    .filter((p) => p.status !== 'delivered')
    .sort((a, b) => a.decision.bar - b.decision.bar)
    .map(({ decision, attempts }) => ({ decision, attempts }));
}

/** The same for every send of one decision: its run, series and bar. */
export function idempotencyKey(d: Decision): string {
  const id = d.identity;
  return sha256(canonicalJson({ workflow_id: id.workflow_id, config_hash: id.config_hash, fold: id.fold ?? null, series: id.series ?? null, bar: d.bar, time: d.time })).slice(0, 32);
}

export interface DeliveryReport {
  url: string;
  /** decisions acknowledged in this call, in bar order */
  delivered: Array<{ bar: number; time: string; attempts: number }>;
  /** the decision whose delivery failed in this call (the later ones were not tried) */
  failed: { bar: number; time: string; attempts: number; error: string } | null;
  /** decisions still not acknowledged after this call */
  pending: number;
}

export async function deliverPending(stateDir: string, url: string, opts: { policy?: Partial<WebhookPolicy>; userAgent?: string; now?: () => Date } = {}): Promise<DeliveryReport> {
  const now = opts.now ?? (() => new Date());
  const pending = pendingDeliveries(readJournal(stateDir));
  const report: DeliveryReport = { url, delivered: [], failed: null, pending: pending.length };
  for (const p of pending) {
    const d = p.decision;
    const outcome = await postJson(url, d, {
      headers: { 'idempotency-key': idempotencyKey(d), 'user-agent': opts.userAgent ?? `regimen/${d.identity.regimen_version}` },
      policy: opts.policy,
    });
    const attempts = p.attempts + outcome.attempts;
    const at = now().toISOString();
    const line: JournalLine = {
      type: 'delivery',
      bar: d.bar,
      time: d.time,
      delivery: { status: outcome.ok ? 'delivered' : 'failed', attempts, url, at, ...(outcome.ok ? {} : { last_error: outcome.error }) },
      recorded_at: at,
    };
    appendJournal(stateDir, [line]);
    if (!outcome.ok) {
      report.failed = { bar: d.bar, time: d.time, attempts, error: outcome.error ?? 'failed' };
      break;
    }
    report.delivered.push({ bar: d.bar, time: d.time, attempts });
    report.pending--;
  }
  return report;
}
