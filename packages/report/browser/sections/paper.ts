import type uPlot from 'uplot';
import type { PaperPendingSection, PaperSection } from '../../src/model.js';
import { formatInteger, formatMetric, formatNumber } from '../../src/format.js';
import { behindPlot, equityAndDrawdown } from '../curves.js';
import { figure, h, numberCell, table } from '../dom.js';
import { pagedTable, type Column } from '../paged-table.js';
import { regimeColor, withAlpha } from '../palette.js';
import { paintBands } from './validation.js';

export function renderPaper(el: HTMLElement, s: PaperSection): void {
  const eq = s.equity;
  const legend = h('div', { class: 'band-legend' }, ...(s.bands ? s.bands.names.map((n, i) => h('span', { class: 'swatch', 'data-regime': n }, h('i', { style: `background:${withAlpha(regimeColor(n, i), 0.35)}` }), n)) : []));
  el.append(
    equityAndDrawdown({
      equity: 'paper-equity',
      drawdown: 'paper-drawdown',
      scaleInput: 'paper-scale',
      labels: s.labels,
      x: eq.x.map((t) => t / 1000),
      equityYs: eq.ys,
      drawdownYs: s.drawdown.ys,
      behind: (u, box) => {
        box.dataset.bands = String(s.bands ? paintBands(u, s.bands) : 0);
        box.dataset.split = String(paintSplit(u, s.split));
      },
      under: legend,
      equityCaption: `The adaptive strategy on the validation split, continued by the paper ledger of \`regimen paper\` from ${s.open} (the dashed line, the validation's last bar) to ${s.last}: ${formatInteger(s.bars)} bar${s.bars === 1 ? '' : 's'} filled at their close with the run's fee and slippage; buy and hold continued the same way. Coloured bands are the regimes of ${s.classifier} over both spans${eq.reduced ? ` (${formatInteger(eq.bars)} bars drawn as ${formatInteger(eq.x.length)} points)` : ''}. Drag to zoom, double-click to reset.`,
      drawdownCaption: 'Drawdown across validation and paper trading: the fall from the running peak.',
    }),
    figure(
      `The paper bars only (${s.open} → ${s.last}), equity 1 at the opening bar. \`regimen paper status\` checks the ledger against the validation engine on the same bars, bit for bit.`,
      table(
        { 'data-table': 'paper-summary' },
        ['run', ...['total_return', 'max_drawdown', 'trades', 'exposure'].map((m) => h('th', { class: 'num' }, m === 'total_return' ? 'return' : m === 'max_drawdown' ? 'max dd' : m))],
        s.summary.map((r) => h('tr', { 'data-run': r.key }, h('th', {}, r.label), numberCell('total_return', r.total_return), numberCell('max_drawdown', r.max_drawdown), numberCell('trades', r.trades), numberCell('exposure', r.exposure))),
      ),
    ),
  );
  const f = s.fills;
  const n = f.close.length;
  const times = n ? f.time.split('\n') : [];
  const num = (label: string, col: number[], digits: number): Column => ({ label, numeric: true, value: (i) => col[i]!, text: (i) => formatNumber(col[i]!, digits), title: (i) => String(col[i]!) });
  const columns: Column[] = [
    { label: 'time', value: (i) => times[i]!, text: (i) => times[i]! },
    num('close', f.close, 4),
    { label: 'regime', value: (i) => (f.regime[i]! < 0 ? null : s.regimes[f.regime[i]!]!), text: (i) => (f.regime[i]! < 0 ? '—' : s.regimes[f.regime[i]!]!) },
    num('position', f.position, 3),
    num('trade', f.trade, 3),
    num('cost', f.cost, 6),
    { label: 'return', numeric: true, value: (i) => f.return[i]!, text: (i) => formatMetric('total_return', f.return[i]!), title: (i) => String(f.return[i]!) },
    num('equity', f.equity, 6),
  ];
  el.append(figure(`Every bar of the paper ledger (live/paper.jsonl): the position decided at its close, the trade filled there, its cost and the bar's return; click a column to sort.${n < s.total_fills ? ` The newest ${formatInteger(n)} of ${formatInteger(s.total_fills)} bars are shown.` : ''}`, pagedTable('paper-fills', n, columns)));
}

/** The dashed line where paper trading takes over from the validation. */
function paintSplit(u: uPlot, time: number): number {
  return behindPlot(u, (ctx, { top, height }) => {
    const x = Math.round(u.valToPos(time / 1000, 'x', true)) + 0.5;
    ctx.strokeStyle = '#57606a';
    ctx.fillStyle = '#57606a';
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1;
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillText('paper', x + 4, top + 12 * devicePixelRatio);
    return 1;
  });
}

export function renderPaperPending(el: HTMLElement, s: PaperPendingSection): void {
  el.append(
    h(
      'p',
      { class: 'note', 'data-decisions': String(s.decisions) },
      `regimen signal has journaled ${formatInteger(s.decisions)} decision${s.decisions === 1 ? '' : 's'} since the run (${s.first} → ${s.last}, live/decisions.jsonl), not yet booked: run \`regimen paper <workspace> --data <file>\` to book every one of them at its close with the run's costs, and this section draws the paper run after the validation split.`,
    ),
  );
}
