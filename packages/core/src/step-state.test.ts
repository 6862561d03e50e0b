import { describe, expect, it } from 'vitest';
import { decodeStepState, encodeStepState } from './step-state.js';

describe('step state encoding', () => {
  it('gives back NaN, ±Infinity, −0 and every double bit for bit through JSON text', () => {
    const state = { a: [NaN, Infinity, -Infinity, -0, 0, 0.1 + 0.2, 5e-324, -1.7976931348623157e308], b: Float64Array.of(-0, NaN, 1 / 3), c: { d: null, e: 'x', f: true } };
    const back = decodeStepState(JSON.parse(JSON.stringify(encodeStepState(state)))) as { a: number[]; b: number[]; c: unknown };
    state.a.forEach((x, i) => expect(Object.is(back.a[i], x)).toBe(true));
    expect(back.b.length).toBe(3);
    [...state.b].forEach((x, i) => expect(Object.is(back.b[i], x)).toBe(true));
    expect(back.c).toEqual(state.c);
  });
  it('fails without it: plain JSON turns NaN into null and −0 into 0', () => {
    const plain = JSON.parse(JSON.stringify({ x: NaN, y: -0 }));
    expect(plain.x).toBeNull();
    expect(Object.is(plain.y, -0)).toBe(false);
  });
});
