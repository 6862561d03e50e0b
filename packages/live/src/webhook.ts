import pRetry, { AbortError } from 'p-retry';
import { regimenError } from '@regimen/core';

/**
 * `--webhook URL`: POST one JSON object, retried with exponential backoff a bounded number of
 * times. Node's own fetch sends it (no HTTP client to install); p-retry owns the backoff schedule
 * and the distinction between a failure worth retrying now and one that is not.
 * Acknowledged means a 2xx answer. Retried now: no connection, no answer within the timeout, 408,
 * 425, 429 and 5xx. Not retried now: other 4xx and 3xx (a redirect would turn a POST into a GET,
 * so it is refused, not followed) — the receiver must change first. Either way the decision stays
 * pending in the journal and the next call tries again (packages/live/src/delivery.ts).
 */
export interface WebhookPolicy {
  /** retries after the first attempt, within one call */
  retries: number;
  /** wait before the first retry; each next one waits `factor` times longer, at most maxDelayMs */
  minDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** one attempt's limit, connection to the end of the answer */
  timeoutMs: number;
}

/** 4 attempts of at most 5 s each, 0.5 s, 1 s and 2 s apart: a dead receiver costs a call at most 23.5 s, inside a one-minute schedule slot. */
export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { retries: 3, minDelayMs: 500, factor: 2, maxDelayMs: 8000, timeoutMs: 5000 };

export interface PostOutcome {
  ok: boolean;
  /** attempts made in this call */
  attempts: number;
  /** the last HTTP status, when an answer came */
  status?: number;
  /** why the last attempt failed */
  error?: string;
}

/** `--webhook` must be an absolute http(s) URL: anything else is refused before any work is done. */
export function webhookUrl(text: string, option = '--webhook'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw regimenError({ code: 'usage', field: option, value: text, message: 'not a URL (give an absolute http:// or https:// URL)' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw regimenError({ code: 'usage', field: option, value: text, message: `scheme ${url.protocol} is not http: or https:` });
  }
  return url.href;
}

class HttpAnswer extends Error {
  constructor(readonly status: number, statusText: string, location: string | null) {
    super(`HTTP ${status}${statusText ? ' ' + statusText : ''}${location ? ` (redirected to ${location}: give that URL)` : ''}`);
  }
}

const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof HttpAnswer) return e.message;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
}

export async function postJson(url: string, body: unknown, opts: { headers?: Record<string, string>; policy?: Partial<WebhookPolicy> } = {}): Promise<PostOutcome> {
  const policy = { ...DEFAULT_WEBHOOK_POLICY, ...opts.policy };
  const text = JSON.stringify(body);
  let attempts = 0;
  let status: number | undefined;
  try {
    await pRetry(
      async () => {
        attempts++;
        status = undefined;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...opts.headers },
          body: text,
          redirect: 'manual',
          signal: AbortSignal.timeout(policy.timeoutMs),
        });
        status = res.status;
        // read the answer to its end, so the connection is free and a slow body counts in the timeout
        await res.arrayBuffer();
        if (res.ok) return;
        const answer = new HttpAnswer(res.status, res.statusText, res.headers.get('location'));
        throw retryable(res.status) ? answer : new AbortError(answer);
      },
      { retries: policy.retries, factor: policy.factor, minTimeout: policy.minDelayMs, maxTimeout: policy.maxDelayMs, randomize: false },
    );
    return { ok: true, attempts, status };
  } catch (e) {
    return { ok: false, attempts, status, error: describe(e, policy.timeoutMs) };
  }
}
