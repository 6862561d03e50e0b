import { regimenError } from '@regimen/core';
import type { WorkerStatus } from './protocol.js';
import type { RunLink } from './run-link.js';

/**
 * The coordinator's view of its workers, from the statuses they write beside the run: it says
 * once when each joins or refuses, says when none has joined while batches wait, and stops the
 * run (`refused` rejects) when workers refused it and none has taken it for `graceMs`: one line
 * naming the worker and what differs.
 */
export interface RollCall {
  /** batch slots of the attached workers (at least 1, so a phase can cut batches before any joins) */
  slots(): number;
  readonly refused: Promise<never>;
  stop(): void;
}

const who = (s: WorkerStatus) => s.id;

export function rollCall(link: RunLink, o: { busy: () => boolean; emit: (message: string) => void; field: string; display: string; graceMs: number }): RollCall {
  let refuse!: (e: Error) => void;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => {});
  const told = new Set<string>();
  let refusedSince: number | undefined;
  let idleSince: number | undefined;
  const attached = () => link.workers().filter((s) => s.state === 'attached');
  const timer = setInterval(() => {
    const all = link.workers();
    for (const s of all) {
      const key = `${who(s)}:${s.state}`;
      if (told.has(key) || s.state === 'stopping') continue;
      told.add(key);
      o.emit(s.state === 'attached' ? `worker ${who(s)} joined (${s.concurrency} at a time)` : `worker ${who(s)} refused this run: ${s.reason}`);
    }
    const busy = o.busy();
    const refusal = all.find((s) => s.state === 'refused');
    if (busy && refusal && attached().length === 0) {
      refusedSince ??= Date.now();
      if (Date.now() - refusedSince >= o.graceMs) {
        refuse(regimenError({ code: 'usage', field: o.field, value: o.display, message: `worker ${who(refusal)} refused the run: ${refusal.reason}` }));
      }
    } else refusedSince = undefined;
    if (busy && all.length === 0) {
      idleSince ??= Date.now();
      if (Date.now() - idleSince >= 5000 && !told.has('idle')) {
        told.add('idle');
        o.emit(`no worker has joined yet: start one with \`regimen worker --redis ${o.display}\``);
      }
    } else idleSince = undefined;
  }, 250);
  return {
    slots: () => Math.max(1, attached().reduce((a, s) => a + s.concurrency, 0)),
    refused,
    stop: () => clearInterval(timer),
  };
}
