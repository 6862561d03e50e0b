import type { WorkspaceStatus } from '@regimen/coordinator';
import { UNIVERSE_RUNS, type Manifest, type UniverseResults } from '@regimen/core';
import { num, pct, table } from './format.js';

const LABEL = { adaptive: 'adaptive', best_static: 'best static', equal_weights: 'equal weights', buy_and_hold: 'buy and hold' } as const;
const p = (x: number | null) => (x === null ? '–' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));

/**
 * A universe's summary: each series out of sample by the objective (the adaptive strategy and
 * every baseline), in how many series the adaptive strategy beats each baseline with the sign
 * test's p-value, and the equal-weight portfolios of the series.
 */
export function formatUniverse(u: UniverseResults): string {
  const where = u.method === 'walk_forward' ? 'its walk-forward folds stitched' : 'the test split';
  const rows = u.series.map((s) => [s.name, `${s.first} → ${s.last}`, String(s.bars), ...UNIVERSE_RUNS.map((r) => num(s.scores[r])), pct(s.metrics.adaptive.total_return), pct(s.metrics.buy_and_hold.total_return)]);
  const out = [
    `\nUniverse of ${u.series.length} series, regimes from ${u.classifier}; ${u.objective} of each series out of sample (${where}):`,
    table(['series', 'out of sample', 'bars', 'adaptive', 'static', 'equal', 'hold', 'adaptive return', 'hold return'], rows),
    `\nThe adaptive strategy against each baseline across the series (by ${u.objective}; two-sided exact sign test, ties left out):`,
    table(['baseline', 'wins', 'losses', 'ties', 'p-value'], (['best_static', 'equal_weights', 'buy_and_hold'] as const).map((b) => {
      const c = u.comparisons[b];
      return [LABEL[b], String(c.wins), String(c.losses), String(c.ties), p(c.p_value)];
    })),
  ];
  const pf = u.portfolio;
  if (!pf) out.push('\nNo portfolio: the series share fewer than two out-of-sample bars.');
  else {
    out.push(`\nEqual-weight portfolios of the series (${pf.first} → ${pf.last}, ${pf.bars} shared bars, rebalanced every bar):`);
    out.push(table(['', 'sharpe', 'sortino', 'max_dd', 'return', 'cagr', 'volatility'], UNIVERSE_RUNS.map((r) => {
      const m = pf.metrics[r];
      return [LABEL[r], num(m.sharpe), num(m.sortino), pct(m.max_drawdown), pct(m.total_return), pct(m.cagr), pct(m.volatility)];
    })));
  }
  return out.join('\n');
}

/** `regimen status` of a universe: one row per series, the phases it has finished. */
export function formatUniverseStatus(s: WorkspaceStatus & { series: NonNullable<WorkspaceStatus['series']> }, manifest: Manifest): string {
  const configured = s.phases.filter((x) => x.configured).map((x) => x.phase);
  const complete = (x: (typeof s.series)[number]) => x.started && (x.folds ?? [x]).every((f) => f.phases.filter((ph) => ph.configured).every((ph) => ph.checkpoint));
  const rows = s.series.map((x) => {
    const entry = manifest.universe!.series.find((e) => e.name === x.name)!;
    const cell = (c: string) => {
      const parts = x.folds ?? [x];
      const done = parts.filter((f) => f.phases.find((ph) => ph.phase === c)?.checkpoint).length;
      return done === parts.length ? 'done' : x.folds && done ? `${done}/${parts.length}` : '·';
    };
    return [x.name, entry.column, String(entry.data_fingerprint.bars), ...configured.map(cell), `${x.trials.done}/${x.trials.planned}`];
  });
  return [
    `universe: ${s.series.length} series (each a workspace in series/<name>/; \`regimen status <workspace>/series/<name>\` for one)`,
    table(['series', 'column', 'bars', ...configured, 'trials'], rows),
    `${s.series.filter(complete).length} of ${s.series.length} series complete`,
  ].join('\n');
}
