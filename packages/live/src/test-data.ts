import { readFileSync, writeFileSync } from 'node:fs';

/**
 * For tests: the run's data file extended with `count` new daily bars (weekdays after its last
 * date, a seeded random walk of its close), written to `out`. `edit` may change rows first.
 */
export function extendDaily(source: string, out: string, count: number, opts: { seed?: number; gapDays?: number; edit?: (rows: string[]) => string[] } = {}): string {
  const [head, ...rows] = readFileSync(source, 'utf8').trim().split('\n');
  const last = rows[rows.length - 1]!.split(',');
  let day = new Date(last[0]! + 'T00:00:00Z');
  let price = Number(last[last.length - 1]);
  let s = opts.seed ?? 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const more: string[] = [];
  for (let i = 0; i < count; i++) {
    day = new Date(day.getTime() + 86400000 * (i === 0 && opts.gapDays ? opts.gapDays : 1));
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() + 86400000);
    price *= 1 + 0.03 * rand();
    more.push(`${day.toISOString().slice(0, 10)},${price.toFixed(2)}`);
  }
  const all = [...rows, ...more];
  writeFileSync(out, [head, ...(opts.edit ? opts.edit(all) : all)].join('\n') + '\n');
  return out;
}
