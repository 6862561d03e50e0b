import type { TradesSection } from '../../src/model.js';
import { formatInteger, formatNumber, formatParams } from '../../src/format.js';
import { figure } from '../dom.js';
import { pagedTable, type Column } from '../paged-table.js';

export function renderTrades(el: HTMLElement, s: TradesSection): void {
  const t = s.trades;
  const n = t.bar.length;
  const times = n ? t.time.split('\n') : [];
  const regime = (i: number) => (i < 0 ? null : s.regimes[i]!);
  // the strategies with weight, and their parameters; a strategy at weight 0 is in the tooltip only
  const settingText = (i: number) => {
    const x = s.settings[t.setting[i]!]!;
    return Object.keys(x.weights).filter((k) => x.weights[k] !== 0).map((k) => `${k} ${formatNumber(x.weights[k]!, 3)}${x.params[k] ? ` (${formatParams(x.params[k]!)})` : ''}`).join(' · ') || 'all weights 0';
  };
  const settingTitle = (i: number) => {
    const x = s.settings[t.setting[i]!]!;
    return Object.keys(x.weights).map((k) => `${k} ${x.weights[k]}${x.params[k] ? ` (${formatParams(x.params[k]!)})` : ''}`).join('\n');
  };
  const num = (label: string, col: number[], digits: number): Column => ({ label, numeric: true, value: (i) => col[i]!, text: (i) => formatNumber(col[i]!, digits), title: (i) => String(col[i]!) });
  const trades: Column[] = [
    { label: 'bar', numeric: true, value: (i) => t.bar[i]!, text: (i) => String(t.bar[i]!) },
    { label: 'time', value: (i) => times[i]!, text: (i) => times[i]! },
    { label: 'regime', value: (i) => regime(t.regime[i]!), text: (i) => regime(t.regime[i]!) ?? '—' },
    num('from', t.from_position, 3),
    num('to', t.to_position, 3),
    num('price', t.price, 4),
    { label: 'weights (parameters) in force', value: (i) => t.setting[i]!, text: settingText, title: settingTitle, wrap: true },
  ];
  const tr = s.transitions;
  const trTimes = tr.bar.length ? tr.time.split('\n') : [];
  const transitions: Column[] = [
    { label: 'bar', numeric: true, value: (i) => tr.bar[i]!, text: (i) => String(tr.bar[i]!) },
    { label: 'time', value: (i) => trTimes[i]!, text: (i) => trTimes[i]! },
    { label: 'from', value: (i) => regime(tr.from[i]!), text: (i) => regime(tr.from[i]!) ?? '—' },
    { label: 'to', value: (i) => regime(tr.to[i]!), text: (i) => regime(tr.to[i]!) ?? '—' },
  ];
  const capped = (shown: number, total: number, what: string) => (shown < total ? ` The first ${formatInteger(shown)} of ${formatInteger(total)} ${what} are shown; all are in the workspace file.` : '');
  el.append(
    figure(
      `Every position change of the adaptive strategy in validation (regimes from ${s.classifier}), with the regime, weights and parameters in force at its bar; click a column to sort.${capped(n, s.total_trades, 'trades')}`,
      pagedTable('trades', n, trades),
    ),
    figure(`Every regime transition of ${s.classifier} in the validation window; click a column to sort.${capped(tr.bar.length, s.total_transitions, 'transitions')}`, pagedTable('transitions', tr.bar.length, transitions)),
  );
}
