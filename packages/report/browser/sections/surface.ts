import * as Plot from '@observablehq/plot';
import type { Scalar, SurfaceSection, SurfaceStrategy, SurfaceView } from '../../src/model.js';
import { formatMetric, formatParams } from '../../src/format.js';
import { chartWidth } from '../charts.js';
import { h, select } from '../dom.js';

interface Cell {
  x: string;
  y: string;
  score: number | null;
  title: string;
}

export function renderSurface(el: HTMLElement, s: SurfaceSection): void {
  el.append(h('div', { class: 'grid' }, ...s.strategies.map((st) => strategyBlock(st, s.objective))));
}

function strategyBlock(st: SurfaceStrategy, objective: string): HTMLElement {
  const firstRegime = st.views.find((v) => v.regime !== null);
  const state = { view: (firstRegime ?? st.views[0]!).id, x: 0, y: Math.min(1, st.dimensions.length - 1) };
  const chart = h('div', { class: 'chart', 'data-chart': 'surface', 'data-strategy': st.strategy });
  const caption = h('figcaption');
  const block = h('div', { class: 'surface', 'data-strategy': st.strategy });
  const draw = () => {
    const view = st.views.find((v) => v.id === state.view)!;
    chart.dataset.view = view.id;
    const width = Math.min(900, chartWidth(block));
    let plot: Element;
    if (st.dimensions.length === 0) {
      plot = h('p', { class: 'note' }, `One parameter set: ${formatParams(st.fixed)}.`);
      caption.textContent = `${st.strategy} has no parameter that varies.`;
    } else if (st.dimensions.length === 1) {
      plot = lineChart(st, view, objective, width);
      caption.textContent = `${st.strategy}: ${objective} of every trial against ${st.dimensions[0]!.name}, scored on ${view.label}; the winner is marked ★ (points missing: too few bars or trades in the regime to be ranked).`;
    } else {
      plot = heatmap(st, view, objective, state.x, state.y, width);
      const others = st.dimensions.length > 2 ? ` — each cell the best over ${st.dimensions.filter((_, k) => k !== state.x && k !== state.y).map((d) => d.name).join(', ')}` : '';
      caption.textContent = `${st.strategy}: ${objective} over ${st.dimensions[state.x]!.name} × ${st.dimensions[state.y]!.name}, scored on ${view.label}${others}; the winner is outlined ★, grey cells were not ranked (too few bars or trades).`;
    }
    chart.replaceChildren(plot);
  };
  const controls = h('div', { class: 'controls' }, select(`surface-view-${st.strategy}`, 'scored on', st.views.map((v) => [v.id, v.label]), state.view, (v) => ((state.view = v), draw())));
  if (st.dimensions.length > 2) {
    const dims = st.dimensions.map((d, k): [string, string] => [String(k), d.name]);
    controls.append(
      select(`surface-x-${st.strategy}`, 'x', dims, String(state.x), (v) => ((state.x = Number(v)), draw())),
      select(`surface-y-${st.strategy}`, 'y', dims, String(state.y), (v) => ((state.y = Number(v)), draw())),
    );
  }
  const fixed = Object.keys(st.fixed).length ? h('p', { class: 'note' }, `fixed: ${formatParams(st.fixed)}`) : null;
  block.append(h('h3', {}, `${st.strategy} (${st.type})`), controls, h('figure', {}, chart, caption), ...(fixed ? [fixed] : []));
  queueMicrotask(draw);
  return block;
}

const label = (v: Scalar) => String(v);

function heatmap(st: SurfaceStrategy, view: SurfaceView, objective: string, xd: number, yd: number, width: number): Element {
  const X = st.dimensions[xd]!;
  const Y = st.dimensions[yd]!;
  const best = new Map<string, Cell>();
  st.trials.forEach((t, i) => {
    const x = label(X.values[t.at[xd]!]!);
    const y = label(Y.values[t.at[yd]!]!);
    const key = JSON.stringify([x, y]);
    const score = view.scores[i]!;
    const had = best.get(key);
    if (!had || (score !== null && (had.score === null || score > had.score))) {
      best.set(key, { x, y, score, title: `${X.name}=${x} ${Y.name}=${y}: ${score === null ? 'not ranked' : `${objective} ${formatMetric('score', score)}`}` });
    }
  });
  const cells = [...best.values()];
  const w = view.winner >= 0 ? st.trials[view.winner]! : null;
  const winner = w ? [{ x: label(X.values[w.at[xd]!]!), y: label(Y.values[w.at[yd]!]!) }] : [];
  const ranked = cells.filter((c) => c.score !== null);
  return Plot.plot({
    // cells of at most ~80 × 40 px: a 3 × 2 grid should not fill the page
    width: Math.min(width, 80 * X.values.length + 110),
    height: Math.min(640, Math.max(160, 40 * Y.values.length + 90)),
    marginLeft: 70,
    padding: 0.04,
    x: { label: X.name, domain: X.values.map(label), type: 'band' },
    y: { label: Y.name, domain: Y.values.map(label), type: 'band' },
    color: { type: 'linear', scheme: 'viridis', label: objective, legend: ranked.length > 0 },
    marks: [
      Plot.cell(cells.filter((c) => c.score === null), { x: 'x', y: 'y', fill: '#d9d9d9', title: 'title', className: 'unranked-cell' }),
      Plot.cell(ranked, { x: 'x', y: 'y', fill: 'score', title: 'title', className: 'cell' }),
      Plot.cell(winner, { x: 'x', y: 'y', fill: 'none', stroke: 'black', strokeWidth: 2.5, className: 'winner' }),
      Plot.text(winner, { x: 'x', y: 'y', text: () => '★', fill: 'white', stroke: 'black', strokeWidth: 3, paintOrder: 'stroke', fontSize: 16 }),
    ],
  });
}

function lineChart(st: SurfaceStrategy, view: SurfaceView, objective: string, width: number): Element {
  const D = st.dimensions[0]!;
  const numeric = D.values.every((v) => typeof v === 'number');
  const points = st.trials.flatMap((t, i) => (view.scores[i] === null ? [] : [{ v: numeric ? (D.values[t.at[0]!] as number) : label(D.values[t.at[0]!]!), score: view.scores[i]!, title: `${D.name}=${D.values[t.at[0]!]}: ${objective} ${formatMetric('score', view.scores[i]!)}` }]));
  points.sort((a, b) => (numeric ? (a.v as number) - (b.v as number) : D.values.map(label).indexOf(a.v as string) - D.values.map(label).indexOf(b.v as string)));
  const w = view.winner >= 0 && view.scores[view.winner] !== null ? [{ v: numeric ? (D.values[st.trials[view.winner]!.at[0]!] as number) : label(D.values[st.trials[view.winner]!.at[0]!]!), score: view.scores[view.winner]! }] : [];
  return Plot.plot({
    width: Math.min(width, 60 * D.values.length + 200),
    height: 240,
    marginLeft: 60,
    x: numeric ? { label: D.name } : { label: D.name, type: 'point', domain: D.values.map(label) },
    y: { label: objective, grid: true },
    marks: [
      Plot.line(points, { x: 'v', y: 'score', stroke: '#4e79a7', className: 'line' }),
      Plot.dot(points, { x: 'v', y: 'score', fill: '#4e79a7', r: 3, title: 'title', className: 'trial' }),
      Plot.dot(w, { x: 'v', y: 'score', r: 7, stroke: 'black', strokeWidth: 2, fill: 'none', className: 'winner' }),
      Plot.text(w, { x: 'v', y: 'score', text: () => '★', dy: -14, fontSize: 16 }),
    ],
  });
}
