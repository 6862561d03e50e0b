import { resolve } from 'node:path';
import { regimenError, type Overfitting, type WalkForwardResults } from '@regimen/core';
import { WALK_FORWARD_RUNS, type WalkForwardSection } from '../model.js';
import { drawdownOf, minMaxColumns } from '../reduce.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { pboColumns } from './overfitting.js';
import type { PageLinks } from '../links.js';
import { CHART_COLUMNS } from './validation.js';

export const WALK_FORWARD_LABELS: Record<(typeof WALK_FORWARD_RUNS)[number], string> = {
  adaptive: 'adaptive',
  best_static: 'best static',
  equal_weights: 'equal weights',
  buy_and_hold: 'buy and hold',
};

/**
 * The folds out of sample (walk_forward_results.json) and the stitched curves
 * (walk_forward_equity.arrow, reduced as validation's are), with where each fold begins.
 */
export function walkForwardSection(ws: WorkspaceFiles, links: PageLinks, columns = CHART_COLUMNS): WalkForwardSection | null {
  const wf = ws.walkForward;
  const r = wf?.results;
  if (!wf || !r) return null;
  let equity: WalkForwardSection['equity'] = null;
  let drawdown: WalkForwardSection['drawdown'] = null;
  const boundaries: WalkForwardSection['boundaries'] = [];
  const e = wf.equity;
  if (e) {
    const lengths = r.folds.map((f) => f.out_of_sample.end - f.out_of_sample.start);
    const bars = lengths.reduce((a, b) => a + b, 0);
    const missing = WALK_FORWARD_RUNS.filter((run) => !e.equity[run]);
    if (e.time.length !== bars || bars !== r.stitched.bars || missing.length) {
      throw regimenError({ code: 'workspace', file: resolve(ws.paths.base, r.stitched.equity_file), message: `does not match ${ws.paths.walkForwardResults} (${e.time.length} bars${missing.length ? `, no ${missing.join(', ')}` : ''}; its folds have ${bars}): rerun the walk-forward's validation` });
    }
    let at = 0;
    r.folds.forEach((f, k) => {
      boundaries.push({ index: f.index, time: e.time[at]! });
      at += lengths[k]!;
    });
    const curves = WALK_FORWARD_RUNS.map((run) => e.equity[run]!);
    equity = minMaxColumns(e.time, curves, columns);
    drawdown = minMaxColumns(e.time, curves.map(drawdownOf), columns);
  }
  const metricsOf = (m: WalkForwardResults['stitched']['metrics']) => Object.fromEntries(WALK_FORWARD_RUNS.map((run) => [run, m[run]])) as WalkForwardSection['stitched']['metrics'];
  return {
    kind: 'walk_forward',
    classifier: r.classifier,
    scheme: r.scheme,
    gap: r.gap,
    runs: WALK_FORWARD_RUNS.map((key) => ({ key, label: WALK_FORWARD_LABELS[key] })),
    folds: r.folds.map((f, k) => ({
      index: f.index,
      in_sample: { start: f.in_sample.start, end: f.in_sample.end, first: f.in_sample.first, last: f.in_sample.last },
      out_of_sample: { start: f.out_of_sample.start, end: f.out_of_sample.end, first: f.out_of_sample.first, last: f.out_of_sample.last },
      metrics: metricsOf(f.out_of_sample),
      in_sample_adaptive: f.in_sample.adaptive,
      efficiency: f.walk_forward_efficiency,
      pbo: foldPbo(wf.overfitting?.folds[k] ?? wf.folds[k]?.overfitting, r.classifier),
      proofs: f.proofs,
      report: links.foldPage(f.index),
    })),
    stitched: { first: r.stitched.first, last: r.stitched.last, bars: r.stitched.bars, metrics: metricsOf(r.stitched.metrics), efficiency: r.walk_forward_efficiency, in_sample_cagr: r.in_sample_cagr },
    mean_pbo: meanPbo(wf.overfitting?.folds ?? [], r.classifier),
    equity,
    drawdown,
    boundaries,
  };
}

/** A fold's mean PBO of the per-regime winners and of the regime weights of the classifier that drives the adaptive strategy. */
function foldPbo(o: Overfitting | undefined, classifier: string): WalkForwardSection['folds'][number]['pbo'] {
  const columns = o ? pboColumns(o) : [];
  const find = (kind: string) => columns.find((c) => c.key === `${kind}/${classifier}`)?.pbo ?? null;
  return { trials: find('selection'), weights: find('ensemble') };
}

/** Those two over the folds that have them. */
function meanPbo(folds: Overfitting[], classifier: string): WalkForwardSection['mean_pbo'] {
  const each = folds.map((o) => foldPbo(o, classifier));
  const mean = (xs: Array<number | null>) => {
    const ok = xs.filter((x): x is number => x !== null);
    return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
  };
  return { trials: mean(each.map((p) => p.trials)), weights: mean(each.map((p) => p.weights)) };
}
