import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Two rolling folds: the latest one ends with the history, so it is the fold that decides. */
const WALK_FORWARD = '{ method: walk_forward, folds: 2, in_sample: 600, gap: 2 }';

/**
 * A real small workspace for paper tests: the coordinator's small workflow run on the first
 * `history` rows of its data, and data files that extend that history with the next rows
 * (`later(k)`: the history plus k new bars), as a data vendor's daily file would; `walkForward`: the
 * same workflow validated walk-forward.
 */
export async function paperWorkspace(opts: { history?: number; total?: number; walkForward?: boolean } = {}): Promise<{ dir: string; ws: string; later(k: number): string }> {
  const { runWorkflow, smallWorkflow } = await import('@regimen/coordinator');
  const history = opts.history ?? 1100;
  const { dir, config, data } = smallWorkflow({ bars: opts.total ?? 1200, validation: opts.walkForward ? WALK_FORWARD : undefined });
  const [header, ...rows] = readFileSync(data, 'utf8').trim().split('\n');
  writeFileSync(data, [header, ...rows.slice(0, history)].join('\n') + '\n');
  const ws = join(dir, 'ws');
  await runWorkflow(config, { outDir: ws, workers: 0 });
  return {
    dir,
    ws,
    later(k: number) {
      const file = join(dir, `prices-plus-${k}.csv`);
      writeFileSync(file, [header, ...rows.slice(0, history + k)].join('\n') + '\n');
      return file;
    },
  };
}

/**
 * A universe of two columns of the Dow Jones file (alcoa, coke) run on its first `history` rows, and
 * the file extended by k rows (`later(k)`).
 */
export async function paperUniverse(history = 400): Promise<{ dir: string; ws: string; later(k: number): string }> {
  const { runWorkflow, smallWorkflow } = await import('@regimen/coordinator');
  const { embeddedDataPath } = await import('@regimen/data');
  const [header, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
  const { dir, config } = smallWorkflow({
    files: { 'dow.csv': [header, ...rows.slice(0, history)].join('\n') + '\n' },
    data: '{ path: dow.csv, columns: { alcoa: AA, coke: KO }, split: { train_fraction: 0.7 } }',
  });
  const ws = join(dir, 'uni');
  await runWorkflow(config, { outDir: ws, workers: 0 });
  return {
    dir,
    ws,
    later(k: number) {
      const file = join(dir, `dow-plus-${k}.csv`);
      writeFileSync(file, [header, ...rows.slice(0, history + k)].join('\n') + '\n');
      return file;
    },
  };
}
