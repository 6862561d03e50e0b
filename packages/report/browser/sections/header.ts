import type { HeaderSection, WindowView } from '../../src/model.js';
import { formatInteger, formatNumber } from '../../src/format.js';
import { figure, h, table } from '../dom.js';
import { foldLinkCell, proofFailed, proofText } from '../folds.js';

const yesNo = (ok: boolean | null, yes: string, no: string, none: string) => (ok === null ? none : ok ? yes : no);

/**
 * A file by its name, the full path its tooltip: the page (and any picture of it) does not show
 * the folders of the machine it was made on, and the path is one hover away.
 */
const fileName = (path: string) => h('span', { title: path, 'data-path': path }, path.split(/[\\/]/).pop() || path);

const span = (w: WindowView) => `${w.first} → ${w.last} (${formatInteger(w.end - w.start)} bars)`;

export function renderHeader(el: HTMLElement, s: HeaderSection): void {
  const d = s.data;
  const wf = s.walk_forward;
  const fold = s.fold;
  const split: Array<[string, string | Node]> = wf
    ? [['walk-forward', `${wf.folds.length} folds, ${wf.scheme}, gap ${formatInteger(wf.gap)} bars; regimes from ${wf.classifier}; out of sample ${wf.folds[0]?.out_of_sample.first ?? '—'} → ${wf.folds.at(-1)?.out_of_sample.last ?? '—'}`]]
    : fold
      ? [
          ['fold', h('span', { 'data-fold': fold.index }, `${fold.index} of the folds 0–${fold.of - 1} of a walk-forward`, ...(fold.top_report ? [' · ', h('a', { href: fold.top_report, 'data-link': 'walk-forward' }, 'the walk-forward\'s page')] : []))],
          ['in sample', span(fold.in_sample)],
          ['out of sample', `${span(fold.out_of_sample)}, after a gap of ${formatInteger(fold.gap)} bars`],
        ]
      : [['split', `train ${formatInteger(d.train_bars)} bars · test ${formatInteger(d.test_bars)} bars from ${d.test_start}`]];
  const facts: Array<[string, string | Node]> = [
    ['workflow', s.workflow_id],
    ['created', s.created_at],
    ['data', h('span', {}, fileName(d.source), ` (column ${d.column})`)],
    ['bars', `${formatInteger(d.bars)}: ${d.first} → ${d.last}`],
    ...split,
    ['bars per year', formatNumber(d.bars_per_year, 0)],
    ['seed', String(s.seed)],
    ['costs', `fee ${s.costs.fee} · slippage ${s.costs.slippage} per unit of position change`],
    ['strategies', s.strategies.map((x) => `${x.name} (${x.type}, ${x.side})`).join(' · ')],
    ['classifiers', s.classifiers.map((c) => `${c.name} (${c.plugin}): ${c.regimes.join(', ') || (wf ? 'fitted in each fold' : 'not fitted')}`).join(' · ')],
    ['workflow file', fileName(s.config_path)],
    ['regimen', s.regimen_version],
  ];
  const dl = h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const p = s.proofs;
  const proofs = wf
    ? foldPlan(wf)
    : p
    ? h(
        'ul',
        { class: 'proofs', 'data-proofs': '' },
        h('li', { class: p.transitions_verified === false ? 'bad' : 'ok', 'data-proof': 'transitions' },
          `switching at regime changes: ${yesNo(p.transitions_verified, `checked at ${formatInteger(p.transitions_checked)} bars`, 'FAILED', 'not requested')} (${formatInteger(p.transitions)} transitions)`),
        h('li', { class: p.look_ahead && !p.look_ahead.passed ? 'bad' : 'ok', 'data-proof': 'look_ahead' },
          `no look-ahead: ${p.look_ahead ? (p.look_ahead.passed ? `none found, checked at ${p.look_ahead.cuts} cuts${p.look_ahead.every_bar ? ' (every bar)' : ' (sampled; regimen run --exhaustive checks every bar)'}` : 'LOOK-AHEAD DETECTED') : 'not run'}`),
      )
    : h('p', { class: 'note' }, 'Validation has not run yet: no proofs.');
  const phases = table(
    { 'data-table': 'phases' },
    ['phase', 'status', 'seconds', 'completed', 'counts'],
    s.phases.map((x) =>
      h('tr', {},
        h('td', {}, x.phase),
        h('td', {}, x.complete ? 'complete' : x.folds && x.folds.done > 0 ? `${x.folds.done} of ${x.folds.of} folds` : x.configured ? 'not run' : 'not configured'),
        h('td', { class: 'num' }, x.seconds === null ? '—' : formatNumber(x.seconds, 2)),
        h('td', {}, x.completed_at ?? '—'),
        h('td', {}, Object.entries(x.counts).map(([k, v]) => `${k} ${formatInteger(v)}`).join(' · ')),
      ),
    ),
  );
  el.append(
    dl,
    wf
      ? figure('The fold plan: each fold picks its parameters and weights on its in-sample window and is validated on the out-of-sample window after it; its proofs (parameters switch at the bar the regime changes; decisions never change when later data is removed) and its own page.', proofs)
      : figure('The proofs written by validation: parameters switch at the bar the regime changes, and decisions never change when later data is removed.', proofs),
    figure(
      wf
        ? 'Time per phase over the folds, from their checkpoints: phase 1 is one pass for every fold (counted once), the others are summed; counts the same in every fold are shown once, others summed.'
        : 'Time per phase, from each phase\'s checkpoint.',
      phases,
    ),
  );
}

function foldPlan(wf: NonNullable<HeaderSection['walk_forward']>): HTMLElement {
  return table(
    { 'data-table': 'fold-plan' },
    ['fold', 'in sample', 'out of sample', 'proofs', 'page'],
    wf.folds.map((f) =>
      h(
        'tr',
        { 'data-fold': f.index, class: proofFailed(f.proofs) ? 'bad' : undefined },
        h('td', {}, String(f.index)),
        h('td', {}, span(f.in_sample)),
        h('td', {}, span(f.out_of_sample)),
        h('td', { 'data-proof': 'fold', class: proofFailed(f.proofs) ? 'bad' : undefined }, proofText(f.proofs)),
        foldLinkCell(f.index, f.report),
      ),
    ),
  );
}
