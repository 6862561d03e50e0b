import { readFileSync } from 'node:fs';
import { regimenError } from '@regimen/core';
import { randomWalk } from '@regimen/kernel';
import type { BenchOptions } from './options.js';

/** A CSV with a header naming a `close` column; blank lines are skipped. */
function readCsvClose(file: string): Float64Array {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const col = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase()).indexOf('close');
  if (col < 0) throw regimenError({ code: 'data', file, field: 'close', message: 'no close column in the header' });
  const out = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const v = Number(lines[i].split(',')[col]);
    if (!(v > 0)) throw regimenError({ code: 'data', file, field: `close (line ${i + 1})`, value: lines[i].split(',')[col], message: 'close must be a positive number' });
    out[i - 1] = v;
  }
  return out;
}

async function readArrowClose(file: string): Promise<Float64Array> {
  const { tableFromIPC } = await import('apache-arrow');
  const column = tableFromIPC(readFileSync(file)).getChild('close');
  if (!column) throw regimenError({ code: 'data', file, field: 'close', message: 'no close column in the Arrow file' });
  return Float64Array.from(column.toArray() as ArrayLike<number>);
}

/** The benchmark's prices: `--prices FILE` (CSV or Arrow) or a seeded random walk of `--bars` bars. */
export async function loadPrices(o: Pick<BenchOptions, 'prices' | 'bars' | 'seed'>): Promise<{ prices: Float64Array; source: string }> {
  if (!o.prices) return { prices: randomWalk(o.bars, o.seed), source: `random walk, seed ${o.seed}` };
  const arrow = /\.(arrow|feather|ipc)$/i.test(o.prices);
  return { prices: arrow ? await readArrowClose(o.prices) : readCsvClose(o.prices), source: o.prices };
}
