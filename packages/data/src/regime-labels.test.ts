import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_REGIME } from '@regimen/core';
import { readRegimeLabels, writeRegimeLabels } from './regime-labels.js';
import { readArrowTable } from './arrow-file.js';
import { arrowToRows } from './arrow-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-regimes-'));
const time = Float64Array.from([0, 1, 2, 3, 4], (d) => Date.UTC(2001, 0, 1) + d * 86_400_000);
const track = { classifier: 'hmm', names: ['bull', 'bear'], labels: Uint8Array.from([NO_REGIME, 0, 0, 1, 0]) };

describe('regime label files', () => {
  it('round-trip labels and names; NO_REGIME reads back as 255 and prints as null', () => {
    const p = join(dir, 'hmm.train.arrow');
    writeRegimeLabels(p, track, time);
    const back = readRegimeLabels(p);
    expect(back.classifier).toBe('hmm');
    expect(back.names).toEqual(['bull', 'bear']);
    expect(back.labels).toEqual(track.labels);
    expect(back.time).toEqual(time);
    expect(back.probabilities).toBeUndefined();
    const { rows } = arrowToRows(readArrowTable(p));
    expect(rows.map((r) => r.regime)).toEqual([null, 'bull', 'bull', 'bear', 'bull']);
    expect(rows[1]).toMatchObject({ time: '2001-01-02', label: 0 });
  });

  it('writes the same bytes however many files this process wrote before', () => {
    const [a, b] = [join(dir, 'first.arrow'), join(dir, 'second.arrow')];
    writeRegimeLabels(a, track, time);
    writeRegimeLabels(join(dir, 'between.arrow'), { ...track, names: ['x', 'y'] }, time);
    writeRegimeLabels(b, track, time);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });

  it('round-trip probabilities as p_<regime> columns', () => {
    const p = join(dir, 'hmm.test.arrow');
    const pBull = Float64Array.from([0.5, 0.9, 0.8, 0.1, 0.7]);
    const probs = [pBull, pBull.map((x) => 1 - x)];
    writeRegimeLabels(p, track, time, probs);
    const t = readArrowTable(p);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['time', 'label', 'regime', 'p_bull', 'p_bear']);
    expect(readRegimeLabels(p).probabilities).toEqual(probs);
  });

  it('rejects a label outside the regimes', () => {
    expect(() => writeRegimeLabels(join(dir, 'x.arrow'), { ...track, labels: Uint8Array.from([0, 1, 2, 0, 0]) }, time)).toThrow(/bar 2: label outside the 2 regimes/);
  });
});
