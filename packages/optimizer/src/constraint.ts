import type { Candidate } from '@regimen/core';
import { compileExpression } from './expression.js';

/**
 * `fast < slow`, `a + b <= 100 && kind != 'ema'`: an expression over parameter names that a
 * candidate must satisfy. A syntax error or an unknown name is a one-line config error at `where`.
 */
export function compileConstraint(expr: string, dimensionNames: readonly string[], where?: string): (c: Candidate) => boolean {
  const evaluate = compileExpression(expr, { names: dimensionNames, noun: 'parameter', what: 'constraint', field: where });
  return (c) => Boolean(evaluate(c));
}
