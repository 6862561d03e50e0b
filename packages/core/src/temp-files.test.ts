import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepTempFiles, tempFileFor, tempFileOwner } from './temp-files.js';

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('temp files of atomic writes', () => {
  it('are named after their target and this process', () => {
    const t = tempFileFor('/w/performance/trial_a.json');
    expect(t).toMatch(new RegExp(`^/w/performance/\\.trial_a\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(tempFileOwner(t.split('/').pop()!)).toBe(process.pid);
    expect(tempFileOwner('.config.yaml.4242.tmp')).toBe(4242); // the older name, without the random part
    expect(tempFileOwner('notes.tmp')).toBeUndefined();
    expect(tempFileOwner('.notes.tmp')).toBeUndefined();
    expect(tempFileOwner('trial_a.json')).toBeUndefined();
  });

  it('get a new name for every write of the same target (counted, not drawn per file)', () => {
    const names = Array.from({ length: 1000 }, () => tempFileFor('/w/signals/trial_a.arrow'));
    expect(new Set(names).size).toBe(1000);
    for (const t of names) expect(tempFileOwner(t.split('/').pop()!)).toBe(process.pid);
  });

  it('are swept through the whole workspace — series and folds — and nothing else is touched', () => {
    const ws = mkdtempSync(join(tmpdir(), 'regimen-sweep-'));
    const files = {
      // left by killed or failed writes (a universe SIGKILLed six times held these)
      'series/GE/signals/.trial_momentum-1a2b3c4d.arrow.31337.tmp': true,
      'series/GE/metadata/.config.yaml.31337.tmp': true,
      'folds/fold_2/performance/.ensemble_trial_hmm-00ff00ff.json.4242.0badf00d.tmp': true,
      '.report.html.77.deadbeef.tmp': true,
      // the user's and the run's own files stay
      'series/GE/signals/trial_momentum-1a2b3c4d.arrow': false,
      'metadata/config.yaml': false,
      '.notes.tmp': false,
      'analysis/draft.tmp': false,
      [`performance/.trial_a.json.${process.pid}.00000000.tmp`]: false, // this process's own write in flight
    };
    for (const f of Object.keys(files)) {
      mkdirSync(join(ws, f, '..'), { recursive: true });
      writeFileSync(join(ws, f), 'x');
    }
    const removed = sweepTempFiles(ws).map((p) => relative(ws, p)).sort();
    const expected = Object.entries(files).filter(([, gone]) => gone).map(([f]) => f).sort();
    expect(removed).toEqual(expected);
    expect(tree(ws)).toEqual(Object.entries(files).filter(([, gone]) => !gone).map(([f]) => f).sort());
  });
});
