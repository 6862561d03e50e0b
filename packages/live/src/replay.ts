import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile, regimenError, sliceBars, ValidationTradesSchema, type Decision } from '@regimen/core';
import { readValidationEquity } from '@regimen/data';
import { windowEquity } from '@regimen/kernel';
import { advance } from './advance.js';
import { loadLiveBars } from './bars.js';
import { checkRunHistory } from './history.js';
import { openLive, type LiveRun } from './open.js';

export interface ReplayReport {
  workspace: string;
  /** the validation bars replayed: [first, end) */
  first: number;
  end: number;
  bars: number;
  trades: number;
  /** positions compared with: the trades file (always) and the equity file (when the workspace has it) */
  compared: string[];
  /** null when every decision equals validation's; else the first bar that differs and how */
  mismatch: null | { bar: number; time: string; field: string; replay: unknown; validation: unknown };
  /** how each decision was made: 'stepped' from the previous bar's memory, or recomputed over bars 0..t and why */
  work: string;
  seconds: number;
}

/**
 * `regimen signal --replay`: every bar of the validation split decided through `advance` — the
 * function a live call uses — on bars 0..t only (stepped from the memory the bar before left, when
 * the run's plugins have step hooks: then it is the step path that is proven), compared bit for bit with what phase 4 wrote:
 * analysis/validation_trades.json lists every position change from a flat start (so it gives the
 * validation's target position at every bar, and the regime, parameters and weights at each
 * change), and performance/validation_equity.arrow holds the equity those positions earned.
 */
export async function replay(workspace: string, opts: { run?: LiveRun; onProgress?: (done: number, total: number) => void; limit?: number } = {}): Promise<ReplayReport> {
  const t0 = performance.now();
  const run = opts.run ?? (await openLive(workspace));
  const dataFile = run.config.data.path;
  if (!existsSync(dataFile)) throw regimenError({ code: 'data', file: dataFile, message: 'the run\'s data file is gone: replay needs the bars it ran on' });
  const all = await loadLiveBars(run, dataFile);
  await checkRunHistory(run, all, dataFile);
  const n = run.historyBars;
  const first = run.testStart;
  const end = opts.limit ? Math.min(n, first + opts.limit) : n;
  const tradesFile = run.paths.validationTrades;
  const { trades } = readJsonFile(tradesFile, ValidationTradesSchema);

  // the validation's target position at every bar, from its list of changes
  const validation = new Float64Array(n);
  let k = 0;
  let pos = 0;
  for (let t = first; t < n; t++) {
    while (k < trades.length && trades[k]!.bar === t) pos = trades[k++]!.to_position;
    validation[t] = pos;
  }
  const tradeAt = new Map(trades.map((x) => [x.bar, x]));

  const empty = mkdtempSync(join(tmpdir(), 'regimen-replay-'));
  const replayed = new Float64Array(end);
  let mismatch: ReplayReport['mismatch'] = null;
  let count = 0;
  let work = '';
  try {
    // the step memory goes from one bar's call to the next through JSON text, as between two live calls
    let step: unknown;
    for (let t = first; t < end && !mismatch; t++) {
      const r = await advance(run, dataFile, { stateDir: empty, bars: sliceBars(all, t + 1), replayFrom: t, probabilities: false, step });
      step = r.step === undefined ? undefined : JSON.parse(JSON.stringify(r.step));
      work = r.work.stepped ? 'stepped' : `recomputed over bars 0..t (${r.work.reason})`;
      const d = r.decisions[0]!;
      replayed[t] = d.target_position;
      mismatch = compare(d, t === first ? 0 : replayed[t - 1]!, validation[t]!, tradeAt.get(t));
      if (mismatch) mismatch.time = d.time;
      if (d.change !== 0) count++;
      opts.onProgress?.(t - first + 1, end - first);
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  const compared = [tradesFile];
  if (!mismatch && end === n && existsSync(run.paths.validationEquity)) {
    const eq = readValidationEquity(run.paths.validationEquity);
    const saved = eq.equity.adaptive;
    if (saved && eq.meta.start === first) {
      compared.push(run.paths.validationEquity);
      const mine = windowEquity(all.close, replayed, { start: first, end: n }, run.costs);
      for (let i = 0; i < mine.length && !mismatch; i++) {
        if (!Object.is(mine[i], saved[i])) mismatch = { bar: first + i, time: '', field: 'equity', replay: mine[i], validation: saved[i] };
      }
    }
  }
  return { workspace: run.root, first, end, bars: end - first, trades: count, compared, mismatch, work, seconds: (performance.now() - t0) / 1000 };
}

function compare(d: Decision, previous: number, validation: number, trade: ReturnType<typeof ValidationTradesSchema.parse>['trades'][number] | undefined): ReplayReport['mismatch'] {
  const at = (field: string, replay: unknown, v: unknown) => ({ bar: d.bar, time: d.time, field, replay, validation: v });
  if (!Object.is(d.target_position, validation)) return at('target_position', d.target_position, validation);
  if (!Object.is(d.previous_position, previous)) return at('previous_position', d.previous_position, previous);
  if ((d.change !== 0) !== (trade !== undefined)) return at('trade', d.change !== 0 ? 'a trade' : 'no trade', trade ? 'a trade' : 'no trade');
  if (!trade) return null;
  if (!Object.is(trade.from_position, d.previous_position)) return at('from_position', d.previous_position, trade.from_position);
  if (trade.regime !== d.regime) return at('regime', d.regime, trade.regime);
  if (!Object.is(trade.price, d.close)) return at('price', d.close, trade.price);
  const params = Object.fromEntries(Object.entries(d.strategies).flatMap(([s, x]) => (x.params ? [[s, x.params]] : [])));
  if (JSON.stringify(params) !== JSON.stringify(trade.params)) return at('params', params, trade.params);
  if (JSON.stringify(d.weights) !== JSON.stringify(trade.weights)) return at('weights', d.weights, trade.weights);
  return null;
}
