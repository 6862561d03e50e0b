import { resolve } from 'node:path';
import { regimenError, sliceBars, type BarColumns, type Metrics, type PaperStatus } from '@regimen/core';
import { adaptivePositions, type AdaptiveInput } from '@regimen/backtester';
import { isoTime } from '@regimen/data';
import { evaluatePositions, metricsOfReturns, windowReturns } from '@regimen/kernel';
import { loadLiveBars } from './bars.js';
import { checkRunHistory } from './history.js';
import { openLive, type LiveRun } from './open.js';
import { lastMark, paperPath, readLedger, refuseUniverse } from './paper.js';
import { defaultStateDir } from './state.js';

/**
 * The validation engine's target positions over `bars`, computed in one pass as phase 4 computes
 * them (backtester's adaptivePositions: the driving classifier's labels from the saved model, the
 * run's per-regime winners and weights, the window from the test split's first bar) — not through
 * the live step, so the ledger is checked against an independent computation.
 */
export function enginePositions(run: LiveRun, bars: BarColumns): Float64Array {
  const c = run.classifiers.find((x) => x.name === run.driving);
  if (!c) throw regimenError({ code: 'workspace', file: run.paths.configResolved, field: 'validation.classifier', value: run.driving, message: 'is not one of the run\'s classifiers' });
  const labels = c.plugin.label(bars, c.model, c.options);
  const regime = { classifier: c.name, names: c.regimes, labels };
  const input: AdaptiveInput = {
    bars,
    window: { start: run.testStart, end: bars.close.length },
    regime,
    breakdown: [regime],
    strategies: run.strategies,
    winners: run.winners,
    weights: run.weights,
    costs: run.costs,
    barsPerYear: run.barsPerYear,
  };
  return adaptivePositions(input, run.engine).positions;
}

/**
 * `regimen paper status`: the paper run against buy-and-hold and against the validation engine on
 * the same bars. The ledger was booked one call at a time from the live step's decisions; the
 * engine runs once over the whole data. Every position, return and equity must be identical
 * (=== on the doubles, so "the same to the last digit"); `agreement` names the first bar that is not.
 */
export async function paperStatus(workspace: string, opts: { stateDir?: string; data?: string; run?: LiveRun } = {}): Promise<PaperStatus> {
  refuseUniverse(workspace);
  const run = opts.run ?? (await openLive(workspace));
  const stateDir = resolve(opts.stateDir ?? defaultStateDir(run.root));
  const ledger = readLedger(stateDir, run.identity);
  const open = ledger.open;
  if (!open) throw regimenError({ code: 'workspace', file: paperPath(stateDir), message: `no paper ledger yet: start one with regimen paper ${workspace} --data FILE` });
  const dataFile = resolve(opts.data ?? ledger.source?.data ?? run.config.data.path);
  const last = lastMark(ledger);
  const all = await loadLiveBars(run, dataFile);
  if (all.close.length <= last.bar) {
    throw regimenError({ code: 'data', file: dataFile, field: 'bars', value: all.close.length, message: `ends before the ledger's last bar ${last.bar} (${last.time}): give the file paper booked from (--data)` });
  }
  const bars = sliceBars(all, last.bar + 1);
  await checkRunHistory(run, bars, dataFile);
  for (const l of [open, ...ledger.fills]) {
    if (isoTime(bars.time[l.bar]!) !== l.time || bars.close[l.bar] !== l.close) {
      throw regimenError({ code: 'data', file: dataFile, field: `bar ${l.bar} (${l.time})`, value: bars.close[l.bar], message: `is not the bar the ledger booked (close ${l.close} at ${l.time}): the data was revised` });
    }
  }

  const pos = enginePositions(run, bars);
  const window = { start: open.bar, end: last.bar + 1 };
  const r = windowReturns(bars.close, pos, window, run.costs);
  let first: PaperStatus['agreement']['first_difference'] = null;
  const differ = (bar: number, time: string, field: string, paper: number, engine: number) => {
    if (!first && paper !== engine) first = { bar, time, field, paper, engine };
  };
  differ(open.bar, open.time, 'position', open.position, pos[open.bar]!);
  let engineEquity = 1;
  ledger.fills.forEach((f, i) => {
    engineEquity = engineEquity * (1 + r[i]!);
    differ(f.bar, f.time, 'position', f.position, pos[f.bar]!);
    differ(f.bar, f.time, 'return', f.return, r[i]!);
    differ(f.bar, f.time, 'equity', f.equity, engineEquity);
  });

  const returns = Float64Array.from(ledger.fills, (f) => f.return);
  const trades = ledger.fills.filter((f) => f.position !== f.previous_position).length;
  const exposed = ledger.fills.filter((f) => f.previous_position !== 0).length;
  const paperMetrics = metricsOfReturns(returns, run.barsPerYear, trades, exposed);
  const engine = evaluatePositions(bars.close, pos, window, run.costs, run.barsPerYear, []).metrics;
  const hold = evaluatePositions(bars.close, new Float64Array(bars.close.length).fill(1), window, run.costs, run.barsPerYear, []).metrics;
  for (const k of Object.keys(engine) as Array<keyof Metrics>) differ(last.bar, last.time, `metrics.${k}`, paperMetrics[k], engine[k]);

  return {
    kind: 'regimen.paper_status',
    identity: run.identity,
    data: dataFile,
    first: { bar: open.bar, time: open.time },
    last: { bar: last.bar, time: last.time },
    bars: ledger.fills.length,
    position: last.position,
    regime: ledger.fills.at(-1)?.regime ?? null,
    paper: { equity: last.equity, metrics: paperMetrics },
    buy_and_hold: { equity: 1 + hold.total_return, metrics: hold },
    validation_engine: { equity: engineEquity, metrics: engine },
    agreement: { identical: first === null, bars: ledger.fills.length + 1, first_difference: first },
  };
}
