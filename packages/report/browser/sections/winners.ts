import type { WinnersSection } from '../../src/model.js';
import { formatInteger, formatMetric, formatParams } from '../../src/format.js';
import { figure, h, numberCell, table } from '../dom.js';

export function renderWinners(el: HTMLElement, s: WinnersSection): void {
  for (const c of s.classifiers) {
    const rows = c.regimes.flatMap((r) =>
      r.winners.map((w) =>
        h(
          'tr',
          { 'data-classifier': c.classifier, 'data-regime': r.regime, 'data-strategy': w.strategy, class: w.basis === 'overall' ? 'fallback' : undefined },
          h('td', {}, r.regime),
          h('td', {}, w.strategy),
          h('td', { class: 'params', title: w.trial_id }, formatParams(w.params)),
          numberCell('score', w.score),
          numberCell('bars', w.bars),
          h('td', { class: 'runners-up' }, ...w.runners_up.map((x) => h('div', { title: x.trial_id, 'data-value': String(x.score) }, `${formatParams(x.params)} · ${formatMetric('score', x.score)}`))),
          numberCell('score', w.spread),
          numberCell('dsr', w.dsr?.dsr),
          h('td', { class: 'note' }, w.skipped ?? `${formatInteger(w.considered)} of ${formatInteger(w.trials)} trials ranked${w.dsr?.assumed_normal ? '; DSR assumes normal returns' : ''}`),
        ),
      ),
    );
    el.append(
      h('h3', {}, c.classifier),
      figure(
        `${c.classifier}: per regime, each strategy's best parameters on the training split by ${s.objective} (regimes with fewer than ${s.min_bars} bars or ${s.min_trades} trades fall back to the overall best), with runners-up, the spread (best − median score of the trials ranked) and the Deflated Sharpe Ratio of the winner.`,
        table({ 'data-table': 'winners', 'data-classifier': c.classifier }, ['regime', 'strategy', 'best parameters', h('th', { class: 'num' }, 'score'), h('th', { class: 'num' }, 'bars'), 'runners-up', h('th', { class: 'num' }, 'spread'), h('th', { class: 'num' }, 'DSR'), 'note'], rows),
      ),
    );
  }
}
