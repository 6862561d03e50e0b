import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { eventsFromPositions, positionsFromEvents } from './events.js';

const f = (...x: number[]) => Float64Array.from(x);

describe('signal events', () => {
  it('an event at every change, the position before start counting as flat', () => {
    const pos = f(1, 1, 0.5, 0.5, 0, -1, -1);
    const ev = eventsFromPositions(pos, { start: 1, end: 7 });
    // start = 1 with pos 1 ≠ 0 → event; then 0.5 at 2, 0 at 4, −1 at 5
    expect(Array.from(ev.bar)).toEqual([1, 2, 4, 5]);
    expect(Array.from(ev.position)).toEqual([1, 0.5, 0, -1]);
    expect(eventsFromPositions(f(0, 0, 1), { start: 0, end: 2 }).bar.length).toBe(0);
  });
  it('positionsFromEvents is 0 before the first event and outside the window', () => {
    const ev = { bar: Int32Array.from([3, 5]), position: f(1, -0.5) };
    expect(Array.from(positionsFromEvents(ev, 8, { start: 2, end: 7 }))).toEqual([0, 0, 0, 1, 1, -0.5, -0.5, 0]);
  });
  it('round trip is exact on the window (random positions)', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 20 + rng.int(0, 80);
      const pos = Float64Array.from({ length: n }, () => (rng.next() < 0.7 ? 0 : rng.int(-4, 4) / 4));
      const start = rng.int(0, n - 1);
      const end = rng.int(start + 1, n);
      const back = positionsFromEvents(eventsFromPositions(pos, { start, end }), n, { start, end });
      for (let t = 0; t < n; t++) expect(back[t]).toBe(t >= start && t < end ? pos[t] : 0);
    }
  });
  it('rejects events out of order', () => {
    expect(() => positionsFromEvents({ bar: Int32Array.from([4, 2]), position: f(1, 0) }, 6, { start: 0, end: 6 })).toThrow(/increasing/);
  });
});
