import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dryRun } from './dry-run.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** The README points at these files: every one must stay a valid workflow whose plan fits its data. */
describe('examples/', () => {
  it.each(readdirSync(examples).filter((f) => f.endsWith('.yaml')))('%s resolves, loads its data and plans its trials and folds', async (file) => {
    const r = await dryRun(join(examples, file), { workers: 1 });
    expect(r.trials).toBeGreaterThan(0);
    if (file === 'walk-forward.yaml') expect(r.folds).toBe(6);
    if (file === 'universe.yaml') expect(r.series).toHaveLength(12);
  });
});
