import { describe, expect, it } from 'vitest';
import { isRegimenError } from '@regimen/core';
import { splitBars } from '@regimen/data';
import { planFolds, type FoldPlanSpec } from './fold-plan.js';
import { shiftTime } from './window-length.js';

const DAY = 86_400_000;
/** n calendar days from 2000-01-01 */
const days = (n: number) => Float64Array.from({ length: n }, (_, i) => Date.UTC(2000, 0, 1) + i * DAY);
const place = { file: 'wf.yaml', prefix: 'workflow.phases.validation.config', dated: true };
const spec = (s: Partial<FoldPlanSpec>): FoldPlanSpec => ({ folds: 1, scheme: 'rolling', gap: 0, ...s });

function error(f: () => unknown): { field?: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isRegimenError(e)) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('fold plan', () => {
  it('with one fold and no lengths is the single split', () => {
    const time = days(1000);
    const split = splitBars({ time }, { train_fraction: 0.7 });
    expect(planFolds(time, spec({}), split.trainEnd, place)).toEqual([{ index: 0, train: { start: 0, end: split.trainEnd }, test: { start: split.testStart, end: 1000 } }]);
  });

  it('rolls equal in-sample windows before consecutive out-of-sample windows that end with the data', () => {
    const folds = planFolds(days(1000), spec({ folds: 6, in_sample: 100, gap: 5 }), 700, place);
    // (1000 − 100 − 5) / 6 = 149 bars each; the 1 bar left over stays unused at the start
    expect(folds.map((f) => f.test)).toEqual([106, 255, 404, 553, 702, 851].map((s) => ({ start: s, end: s + 149 })));
    for (const f of folds) expect(f.train).toEqual({ start: f.test.start - 105, end: f.test.start - 5 });
  });

  it('anchors every in-sample window at the first bar', () => {
    const folds = planFolds(days(1000), spec({ folds: 3, scheme: 'anchored', in_sample: 0.4, out_of_sample: 200 }), 700, place);
    expect(folds.map((f) => [f.train, f.test])).toEqual([
      [{ start: 0, end: 400 }, { start: 400, end: 600 }],
      [{ start: 0, end: 600 }, { start: 600, end: 800 }],
      [{ start: 0, end: 800 }, { start: 800, end: 1000 }],
    ]);
  });

  it('counts calendar durations: out-of-sample months back from the last bar, in-sample years before each', () => {
    const time = days(3000); // 2000-01-01 .. 2008-03-18
    const folds = planFolds(time, spec({ folds: 4, in_sample: '2y', out_of_sample: '6mo' }), 2100, place);
    const iso = (i: number) => new Date(time[i]!).toISOString().slice(0, 10);
    expect(folds.map((f) => [iso(f.test.start), iso(f.test.end - 1)])).toEqual([
      ['2006-03-19', '2006-09-18'], ['2006-09-19', '2007-03-18'], ['2007-03-19', '2007-09-18'], ['2007-09-19', '2008-03-18'],
    ]);
    for (const f of folds) {
      expect(time[f.train.start]).toBe(shiftTime(time[f.train.end]!, { amount: 2, unit: 'y', text: '2y' }, -1));
      expect(f.train.end).toBe(f.test.start);
    }
  });

  it('starts an out-of-sample window at each date of a list', () => {
    const folds = planFolds(days(1000), spec({ folds: ['2001-01-01', '2001-07-01', '2002-01-01'], in_sample: 200 }), 700, place);
    expect(folds.map((f) => f.test)).toEqual([{ start: 366, end: 547 }, { start: 547, end: 731 }, { start: 731, end: 1000 }]);
    expect(folds[0]!.train).toEqual({ start: 166, end: 366 });
  });

  it('refuses settings that do not fit the data, naming the field', () => {
    const time = days(1000);
    expect(error(() => planFolds(time, spec({ folds: 4, out_of_sample: 100 }), 700, place))).toMatchObject({ field: 'workflow.phases.validation.config.in_sample', message: expect.stringContaining('fold 0: its in-sample window would start 100 bars before the data does') });
    expect(error(() => planFolds(time, spec({ folds: 6, in_sample: 990 }), 700, place))).toMatchObject({ field: 'workflow.phases.validation.config.in_sample' });
    expect(error(() => planFolds(time, spec({ folds: 2, scheme: 'anchored', out_of_sample: 400, gap: 199 }), 700, place))).toMatchObject({ field: 'workflow.phases.validation.config.gap', message: expect.stringContaining('fold 0: the gap leaves 1 bars') });
    expect(error(() => planFolds(time, spec({ folds: ['2001-01-01'] }), 700, place))).toMatchObject({ field: 'workflow.phases.validation.config.folds', message: expect.stringContaining('at least two dates') });
    expect(error(() => planFolds(time, spec({ folds: ['2001-01-01', '2000-06-01'] }), 700, place)).field).toBe('workflow.phases.validation.config.folds[1]');
    expect(error(() => planFolds(time, spec({ folds: 3, out_of_sample: '6 fortnights' }), 700, place)).field).toBe('workflow.phases.validation.config.out_of_sample');
    expect(error(() => planFolds(time, spec({ folds: 2, in_sample: '1y' }), 700, { ...place, dated: false })).message).toMatch(/bar numbers, not dates/);
    expect(error(() => planFolds(time, spec({ folds: 2.5 }), 700, place)).field).toBe('workflow.phases.validation.config.folds');
  });
});
