import { describe, expect, it } from 'vitest';
import { createRng } from '@regimen/core';
import { parseDecimal } from './decimal.js';

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const parse = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return parseDecimal(b, 0, b.length);
};
/** The reference: the strict syntax, then Number(). */
const reference = (s: string) => (NUMBER_RE.test(s) ? Number(s) : NaN);

describe('parseDecimal', () => {
  it('equals Number() on edge cases, bit for bit (signed zero included)', () => {
    const cases = [
      '0', '-0', '+0', '0.0', '-0.0', '1', '1.', '.5', '-.5', '99.981319', '100.002774', '63.4375', '0.1', '0.2', '0.3',
      '9007199254740991', '9007199254740992', '9007199254740993', '123456789012345678', '1.7976931348623157e308', '1e309',
      '5e-324', '1e-400', '2.2250738585072014e-308', '1e22', '1e23', '1e-22', '1e-23', '123.456e2', '123.456E-2', '1e+5',
      '0.000001', '12345678901234.5', '1234567890123.45678', '0.30000000000000004', '4.35', '2.675', '1.005', '8.41',
    ];
    for (const s of cases) expect(Object.is(parse(s), reference(s)), s).toBe(true);
  });

  it('refuses what Number() would wrongly accept', () => {
    for (const s of ['', ' ', '.', '-', '+', 'e5', '1e', '1e+', '0x1F', 'Infinity', '-Infinity', 'NaN', '1,5', '1.2.3', '1 2', '--1', '١٢']) {
      expect(parse(s), JSON.stringify(s)).toBeNaN();
    }
  });

  it('equals Number() on 100,000 random decimals of every length', () => {
    const rng = createRng(7);
    for (let k = 0; k < 100_000; k++) {
      const intDigits = Math.floor(rng.next() * 12);
      const fracDigits = Math.floor(rng.next() * 12);
      let s = rng.next() < 0.2 ? '-' : '';
      for (let i = 0; i < intDigits; i++) s += Math.floor(rng.next() * 10);
      if (fracDigits > 0 || intDigits === 0) s += '.';
      for (let i = 0; i < fracDigits || (intDigits === 0 && i === 0); i++) s += Math.floor(rng.next() * 10);
      if (rng.next() < 0.1) s += 'e' + (rng.next() < 0.5 ? '-' : '') + Math.floor(rng.next() * 40);
      expect(Object.is(parse(s), reference(s)), s).toBe(true);
    }
  });
});
