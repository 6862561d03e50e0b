import type { Command } from 'commander';
import { regimenError } from '@regimen/core';
import { journalPath, webhookUrl, type DeliveryReport } from '@regimen/live';

/** `--webhook <url>` on `regimen signal` and `regimen paper`: one definition, one help text. */
export function webhookOption(cmd: Command): Command {
  return cmd.option('--webhook <url>', 'POST each new decision (the --json object) to this http(s) URL, retried with backoff; what is not acknowledged stays pending in the journal and is sent by the next call (exit 75 until then)');
}

/** Check the URL before any work, so a bad one appends nothing (exit 2). */
export const checkedWebhook = (url: string | undefined): string | undefined => (url === undefined ? undefined : webhookUrl(url));

export function deliveryText(r: DeliveryReport): string {
  const sent = r.delivered.length ? `${r.delivered.length} decision${r.delivered.length === 1 ? '' : 's'} delivered to ${r.url}` : `nothing new to deliver to ${r.url}`;
  if (!r.failed) return `webhook: ${sent}`;
  return `webhook: ${sent}; the decision of bar ${r.failed.bar} (${r.failed.time}) was not acknowledged after ${r.failed.attempts} attempt${r.failed.attempts === 1 ? '' : 's'} (${r.failed.error}); ${r.pending} pending, sent by the next call`;
}

/**
 * After the output is printed: a delivery that failed is exit code 75 (EX_TEMPFAIL, as for a lost
 * Redis) — the decision is journaled and will be sent; a scheduler may alert or simply call again.
 */
export function failIfUndelivered(r: DeliveryReport | null, stateDir: string): void {
  if (!r?.failed) return;
  throw regimenError({
    code: 'unavailable',
    file: journalPath(stateDir),
    field: '--webhook',
    value: r.url,
    message: `bar ${r.failed.bar} (${r.failed.time}) not acknowledged after ${r.failed.attempts} attempts: ${r.failed.error}; ${r.pending} decision${r.pending === 1 ? '' : 's'} pending, sent by the next call`,
  });
}
