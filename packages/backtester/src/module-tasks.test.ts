import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { localExecutor } from './executor.js';

// pool threads start with the built trial worker (dist/), which `npm ci` makes
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../dist/worker.js', import.meta.url)));

/** A plugin's own worker module: plain JavaScript with a default export. */
function taskModule(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'regimen-task-')), 'square.mjs');
  writeFileSync(file, `import { threadId } from 'node:worker_threads';\nexport default async (t) => ({ square: t.x * t.x, threadId });\n`);
  return file;
}

describe('executor runTask: a module of the caller’s own on the pool', () => {
  it('runs on this thread without workers, by path or file URL', async () => {
    const ex = localExecutor({ workers: 0, engine: 'js' });
    const module = taskModule();
    expect(await ex.runTask!<{ square: number; threadId: number }>(module, { x: 3 })).toEqual({ square: 9, threadId: 0 });
    expect(await ex.runTask!<{ square: number }>(pathToFileURL(module).href, { x: 4 })).toMatchObject({ square: 16 });
    await ex.close();
  });

  it.skipIf(!built)('runs on the worker threads with workers', async () => {
    const ex = localExecutor({ workers: 2, engine: 'wasm' });
    const module = taskModule();
    const out = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => ex.runTask!<{ square: number; threadId: number }>(module, { x })));
    expect(out.map((o) => o.square)).toEqual([1, 4, 9, 16, 25, 36]);
    expect(out.every((o) => o.threadId > 0)).toBe(true);
    await ex.close();
  });
});
