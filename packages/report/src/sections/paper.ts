import { NO_REGIME } from '@regimen/core';
import type { PaperPendingSection, PaperSection } from '../model.js';
import { drawdownOf, minMaxColumns } from '../reduce.js';
import { labelsOver, type WorkspaceFiles } from '../workspace-files.js';
import { MAX_TABLE_ROWS } from './trades.js';
import { CHART_COLUMNS, regimeBands, validationStart } from './validation.js';

/**
 * The paper segment after the validation split. The ledger opens at the validation's last bar with
 * equity 1, so the paper curve is the ledger's equity times the validation's last adaptive equity:
 * one curve across both spans. Buy-and-hold continues the same way, compounding the booked closes
 * with the expression of the PnL loop (a position of 1, never changed, so no cost).
 */
/** The validation run the paper run continues: its bars' times, its adaptive and buy-and-hold equity, the driving classifier's labels. */
interface ValidationBase {
  time: Float64Array;
  adaptive: Float64Array;
  hold: Float64Array;
  classifier: string;
  /** label per bar of `time` (NO_REGIME where unknown); null without label files */
  labels: { names: string[]; labels: Uint8Array } | null;
}

function singleSplitBase(ws: WorkspaceFiles): ValidationBase | null {
  const v = ws.validation;
  const e = ws.equity;
  if (!v || !e || !e.equity.adaptive || !e.equity.buy_and_hold) return null;
  const start = validationStart(ws, v);
  const l = labelsOver(ws, v.classifier, start, e.time.length);
  return { time: e.time, adaptive: e.equity.adaptive, hold: e.equity.buy_and_hold, classifier: v.classifier, labels: l && { names: l.names, labels: l.labels } };
}

/** A walk-forward: the stitched out-of-sample curves; regimes of the latest fold (the one that decides) over its window. */
function walkForwardBase(ws: WorkspaceFiles): ValidationBase | null {
  const e = ws.walkForward?.equity;
  if (!e || !e.equity.adaptive || !e.equity.buy_and_hold) return null;
  const fold = ws.walkForward!.folds.at(-1);
  const n = e.time.length;
  let labels: ValidationBase['labels'] = null;
  const w = fold?.windows.test;
  const l = fold && w ? labelsOver(fold, e.meta.classifier, w.start, w.end - w.start) : null;
  if (l && l.labels.length <= n) {
    const all = new Uint8Array(n).fill(NO_REGIME);
    all.set(l.labels, n - l.labels.length);
    labels = { names: l.names, labels: all };
  }
  return { time: e.time, adaptive: e.equity.adaptive, hold: e.equity.buy_and_hold, classifier: e.meta.classifier, labels };
}

/**
 * The paper segment after the validation split. The ledger opens at the validation's last bar with
 * equity 1, so the paper curve is the ledger's equity times the validation's last adaptive equity:
 * one curve across both spans. Buy-and-hold continues the same way, compounding the booked closes
 * with the expression of the PnL loop (a position of 1, never changed, so no cost).
 */
export function paperSection(ws: WorkspaceFiles, columns = CHART_COLUMNS): PaperSection | null {
  const p = ws.paper;
  const base = p ? (ws.walkForward ? walkForwardBase(ws) : singleSplitBase(ws)) : null;
  if (!p || !base) return null;
  const n = base.time.length;
  // the ledger continues this validation only if it opens at its last bar
  if (Date.parse(p.open.time) !== base.time[n - 1]) return null;
  const m = p.fills.length;
  const time = new Float64Array(n + m);
  time.set(base.time);
  p.fills.forEach((f, i) => (time[n + i] = Date.parse(f.time)));
  const adaptive = new Float64Array(n + m);
  adaptive.set(base.adaptive);
  const hold = new Float64Array(n + m);
  hold.set(base.hold);
  const a0 = adaptive[n - 1]!;
  let prevClose = p.open.close;
  let holdPaper = 1;
  const holdPaperAt = new Float64Array(m);
  p.fills.forEach((f, i) => {
    adaptive[n + i] = a0 * f.equity;
    holdPaper = holdPaper * (1 + (1 * (f.close / prevClose - 1) - 0));
    holdPaperAt[i] = holdPaper;
    hold[n + i] = hold[n - 1]! * holdPaper;
    prevClose = f.close;
  });

  const names = base.labels?.names ?? ws.classifiers.find((c) => c.name === base.classifier)?.regimes ?? [];
  let bands: PaperSection['bands'] = null;
  if (base.labels) {
    const labels = new Uint8Array(n + m);
    labels.set(base.labels.labels);
    p.fills.forEach((f, i) => {
      const k = f.regime === null ? -1 : names.indexOf(f.regime);
      labels[n + i] = k < 0 ? NO_REGIME : k;
    });
    bands = regimeBands(base.classifier, names, labels, time, columns);
  }

  const paperEquity = Float64Array.from(p.fills, (f) => f.equity);
  const maxDd = (eq: Float64Array) => drawdownOf(eq).reduce((a, b) => Math.max(a, b), 0);
  const shown = p.fills.slice(-MAX_TABLE_ROWS);
  const regimes = names.length ? [...names] : [];
  const regimeIndex = (r: string | null) => (r === null ? -1 : regimes.indexOf(r) >= 0 ? regimes.indexOf(r) : regimes.push(r) - 1);
  return {
    kind: 'paper',
    classifier: base.classifier,
    open: p.open.time,
    last: p.fills.at(-1)?.time ?? p.open.time,
    bars: m,
    split: time[n - 1]!,
    labels: ['adaptive → paper', 'buy and hold'],
    equity: minMaxColumns(time, [adaptive, hold], columns),
    drawdown: minMaxColumns(time, [drawdownOf(adaptive), drawdownOf(hold)], columns),
    bands,
    summary: [
      { key: 'paper', label: 'paper', total_return: (paperEquity.at(-1) ?? 1) - 1, max_drawdown: maxDd(paperEquity), trades: p.fills.filter((f) => f.trade !== 0).length, exposure: m ? p.fills.filter((f) => f.previous_position !== 0).length / m : 0 },
      { key: 'buy_and_hold', label: 'buy and hold', total_return: holdPaper - 1, max_drawdown: maxDd(holdPaperAt), trades: 0, exposure: m ? 1 : 0 },
    ],
    fills: {
      time: shown.map((f) => f.time).join('\n'),
      close: shown.map((f) => f.close),
      regime: shown.map((f) => regimeIndex(f.regime)),
      position: shown.map((f) => f.position),
      trade: shown.map((f) => f.trade),
      cost: shown.map((f) => f.cost),
      return: shown.map((f) => f.return),
      equity: shown.map((f) => f.equity),
    },
    regimes,
    total_fills: m,
  };
}

/** A workspace decided on by `regimen signal` but not paper-traded: the section says how to book it. */
export function paperPendingSection(ws: WorkspaceFiles): PaperPendingSection | null {
  const j = ws.journaled;
  return !ws.paper && j ? { kind: 'paper_pending', decisions: j.count, first: j.first, last: j.last } : null;
}
