import type { StabilitySection } from '../../src/model.js';
import { formatInteger, formatParams } from '../../src/format.js';
import { figure, h, numberCell, table } from '../dom.js';

export function renderStability(el: HTMLElement, s: StabilitySection): void {
  for (const c of s.classifiers) {
    el.append(
      h('h3', {}, c.classifier),
      figure(
        `${c.classifier}: how each regime's winning parameters moved across the ${formatInteger(s.folds)} folds — the share of folds won by the most frequent winner (modal share), the share of consecutive folds whose winner repeats, and the mean step between consecutive winners (0: never moved; 1: from one corner of the search space to the opposite, each numeric parameter scaled by its range). A winner that stays is evidence of a real optimum; one that wanders is what noise looks like. Then each fold's winner (— where the regime had none).`,
        table(
          { 'data-table': 'stability', 'data-classifier': c.classifier },
          ['regime', 'strategy', ...['folds', 'modal share', 'repeat rate', 'mean step'].map((x) => h('th', { class: 'num' }, x)), 'most frequent winner', ...Array.from({ length: s.folds }, (_, k) => `fold ${k}`)],
          c.rows.map((r) =>
            h(
              'tr',
              { 'data-regime': r.regime, 'data-strategy': r.strategy },
              h('td', {}, r.regime),
              h('td', {}, r.strategy),
              numberCell('folds', r.folds),
              numberCell('share', r.modal_share),
              numberCell('share', r.repeat_rate),
              numberCell('slope', r.mean_step),
              h('td', { class: 'params' }, r.modal_params ? formatParams(r.modal_params) : '—'),
              ...r.winners.map((w) => h('td', { class: 'params', 'data-winner': w ? JSON.stringify(w) : '' }, w ? formatParams(w) : '—')),
            ),
          ),
        ),
      ),
    );
  }
}
