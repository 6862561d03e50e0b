import type { HeaderSection } from '../../src/model.js';
import { formatInteger, formatNumber } from '../../src/format.js';
import { figure, h, table } from '../dom.js';

const yesNo = (ok: boolean | null, yes: string, no: string, none: string) => (ok === null ? none : ok ? yes : no);

export function renderHeader(el: HTMLElement, s: HeaderSection): void {
  const d = s.data;
  const facts: Array<[string, string]> = [
    ['workflow', s.workflow_id],
    ['created', s.created_at],
    ['data', `${d.source} (column ${d.column})`],
    ['bars', `${formatInteger(d.bars)}: ${d.first} → ${d.last}`],
    ['split', `train ${formatInteger(d.train_bars)} bars · test ${formatInteger(d.test_bars)} bars from ${d.test_start}`],
    ['bars per year', formatNumber(d.bars_per_year, 0)],
    ['seed', String(s.seed)],
    ['costs', `fee ${s.costs.fee} · slippage ${s.costs.slippage} per unit of position change`],
    ['strategies', s.strategies.map((x) => `${x.name} (${x.type}, ${x.side})`).join(' · ')],
    ['classifiers', s.classifiers.map((c) => `${c.name} (${c.plugin}): ${c.regimes.join(', ') || 'not fitted'}`).join(' · ')],
    ['workflow file', s.config_path],
    ['regimen', s.regimen_version],
  ];
  const dl = h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const p = s.proofs;
  const proofs = p
    ? h(
        'ul',
        { class: 'proofs', 'data-proofs': '' },
        h('li', { class: p.transitions_verified === false ? 'bad' : 'ok', 'data-proof': 'transitions' },
          `switching at regime changes: ${yesNo(p.transitions_verified, `verified at ${formatInteger(p.transitions_checked)} bars`, 'FAILED', 'not requested')} (${formatInteger(p.transitions)} transitions)`),
        h('li', { class: p.look_ahead && !p.look_ahead.passed ? 'bad' : 'ok', 'data-proof': 'look_ahead' },
          `no look-ahead: ${p.look_ahead ? (p.look_ahead.passed ? `proven at ${p.look_ahead.cuts} cuts` : 'LOOK-AHEAD DETECTED') : 'not run'}`),
      )
    : h('p', { class: 'note' }, 'Validation has not run yet: no proofs.');
  const phases = table(
    { 'data-table': 'phases' },
    ['phase', 'status', 'seconds', 'completed', 'counts'],
    s.phases.map((x) =>
      h('tr', {},
        h('td', {}, x.phase),
        h('td', {}, x.complete ? 'complete' : x.configured ? 'not run' : 'not configured'),
        h('td', { class: 'num' }, x.seconds === null ? '—' : formatNumber(x.seconds, 2)),
        h('td', {}, x.completed_at ?? '—'),
        h('td', {}, Object.entries(x.counts).map(([k, v]) => `${k} ${formatInteger(v)}`).join(' · ')),
      ),
    ),
  );
  el.append(
    dl,
    figure('The proofs written by validation: parameters switch at the bar the regime changes, and decisions never change when later data is removed.', proofs),
    figure('Time per phase, from each phase\'s checkpoint.', phases),
  );
}
