/** Run colours (adaptive first) and regime colours: Tableau 10, readable on white and for most colour-blind readers. */
export const RUN_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#79706e', '#b07aa1', '#e15759', '#76b7b2', '#edc948', '#ff9da7', '#9c755f'];
export const REGIME_COLORS = ['#59a14f', '#e15759', '#4e79a7', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];

export const runColor = (i: number) => RUN_COLORS[i % RUN_COLORS.length]!;

/** Regime names the built-in classifiers use get the colour a reader expects (bear red, bull green); others go by index. */
const BY_NAME: Record<string, string> = { bull: '#59a14f', trend_up: '#59a14f', bear: '#e15759', trend_down: '#e15759', neutral: '#bab0ac', range: '#bab0ac', breakout: '#f28e2b' };
export const regimeColor = (name: string, i: number) => BY_NAME[name] ?? REGIME_COLORS[i % REGIME_COLORS.length]!;

/** `#rrggbb` with an alpha, for bands behind curves. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
