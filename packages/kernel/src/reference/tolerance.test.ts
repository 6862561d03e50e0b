import { describe, expect, it } from 'vitest';
import { gt, lt } from './tolerance.js';

describe('relative tolerance comparisons (DESIGN §5)', () => {
  it('treats differences within 1e-9·|b| as equal', () => {
    const b = 100;
    expect(gt(b + 5e-8, b)).toBe(false); // 5e-8 < 1e-9·100 = 1e-7
    expect(gt(b + 2e-7, b)).toBe(true);
    expect(lt(b - 5e-8, b)).toBe(false);
    expect(lt(b - 2e-7, b)).toBe(true);
  });
  it('reduces to the exact comparison against 0 and is false on NaN', () => {
    expect(gt(1e-300, 0)).toBe(true);
    expect(lt(-1e-300, 0)).toBe(true);
    expect(gt(0, 0)).toBe(false);
    expect(gt(NaN, 1)).toBe(false);
    expect(lt(NaN, 1)).toBe(false);
  });
  it('a running sum that should equal b does not flip the signal', () => {
    const s = 0.1 + 0.2; // 0.30000000000000004
    expect(s > 0.3).toBe(true);
    expect(gt(s, 0.3)).toBe(false);
  });
});
