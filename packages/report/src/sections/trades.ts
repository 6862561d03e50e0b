import type { Params, TradesSection } from '../model.js';
import type { WorkspaceFiles } from '../workspace-files.js';
import { varyingParams } from './params.js';

/**
 * At most this many trades (and as many transitions) go into the page, so a run with millions
 * of position changes still gives a file that opens; the table says how many the file holds.
 */
export const MAX_TABLE_ROWS = 50_000;

/**
 * Validation trades and regime transitions as columns. The parameters and weights in force repeat
 * from trade to trade (they change with the regime), so each distinct setting is stored once.
 */
export function tradesSection(ws: WorkspaceFiles): TradesSection | null {
  const t = ws.trades;
  const v = ws.validation;
  if (!t || !v) return null;
  const shown = t.trades.slice(0, MAX_TABLE_ROWS);
  const varying = varyingParams(ws);
  const settings: TradesSection['settings'] = [];
  const settingIndex = new Map<string, number>();
  const setting = shown.map((x) => {
    const key = JSON.stringify([x.params, x.weights]);
    let i = settingIndex.get(key);
    if (i === undefined) {
      settingIndex.set(key, (i = settings.length));
      settings.push({ params: Object.fromEntries(Object.entries(x.params).map(([s, p]) => [s, varying(s, p as Params)])), weights: x.weights });
    }
    return i;
  });
  const transitions = v.transitions.slice(0, MAX_TABLE_ROWS);
  const regimes: string[] = [];
  const regimeIndex = (name: string | null) => {
    if (name === null) return -1;
    let i = regimes.indexOf(name);
    if (i < 0) i = regimes.push(name) - 1;
    return i;
  };
  return {
    kind: 'trades',
    classifier: t.classifier,
    regimes,
    trades: {
      bar: shown.map((x) => x.bar),
      time: shown.map((x) => x.time).join('\n'),
      regime: shown.map((x) => regimeIndex(x.regime)),
      from_position: shown.map((x) => x.from_position),
      to_position: shown.map((x) => x.to_position),
      price: shown.map((x) => x.price),
      setting,
    },
    settings,
    total_trades: t.trades.length,
    transitions: {
      bar: transitions.map((x) => x.bar),
      time: transitions.map((x) => x.time).join('\n'),
      from: transitions.map((x) => regimeIndex(x.from)),
      to: transitions.map((x) => regimeIndex(x.to)),
    },
    total_transitions: v.transitions.length,
  };
}
