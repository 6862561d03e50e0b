import jsep from 'jsep';
import { regimenError } from '@regimen/core';

/**
 * A small, safe expression language for constraints (`fast < slow`) and composite objectives
 * (`sharpe - 2*max_drawdown`): jsep parses, this file evaluates a whitelist of node types, so a
 * config can never reach JavaScript. `==` and `!=` compare strictly (no '1' == 1 surprises).
 */
export type Value = number | string | boolean;
export type Env = Record<string, Value>;
export type Evaluator = (env: Env) => Value;

export interface ExpressionContext {
  /** identifiers the expression may use */
  names: readonly string[];
  /** what an identifier is, for messages: `parameter`, `metric` */
  noun: string;
  /** what the expression is, for messages: `constraint`, `objective` */
  what: string;
  field?: string;
  functions?: Record<string, (...xs: number[]) => number>;
}

const BINARY: Record<string, (a: Value, b: Value) => Value> = {
  '+': (a, b) => (a as number) + (b as number),
  '-': (a, b) => (a as number) - (b as number),
  '*': (a, b) => (a as number) * (b as number),
  '/': (a, b) => (a as number) / (b as number),
  '%': (a, b) => (a as number) % (b as number),
  '**': (a, b) => (a as number) ** (b as number),
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '!==': (a, b) => a !== b,
};
const UNARY: Record<string, (a: Value) => Value> = {
  '-': (a) => -(a as number),
  '+': (a) => +(a as number),
  '!': (a) => !a,
};

export function compileExpression(source: string, ctx: ExpressionContext): Evaluator {
  const fail = (message: string): never => {
    throw regimenError({ code: 'config', field: ctx.field, value: source, message: `${ctx.what}: ${message}` });
  };
  let ast: jsep.Expression;
  try {
    ast = jsep(source);
  } catch (e) {
    return fail(`syntax error: ${(e as Error).message}`);
  }
  if (!ast || (ast.type === 'Compound' && (ast as jsep.Compound).body.length === 0)) fail('empty expression');
  const known = new Set(ctx.names);

  const build = (node: jsep.Expression): Evaluator => {
    switch (node.type) {
      case 'Literal': {
        const v = (node as jsep.Literal).value;
        if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') return fail(`unsupported literal ${(node as jsep.Literal).raw}`);
        return () => v;
      }
      case 'Identifier': {
        const name = (node as jsep.Identifier).name;
        if (!known.has(name)) fail(`unknown ${ctx.noun} "${name}" (known: ${[...known].join(', ') || 'none'})`);
        return (env) => env[name]!;
      }
      case 'UnaryExpression': {
        const n = node as jsep.UnaryExpression;
        const op = UNARY[n.operator] ?? fail(`unsupported operator "${n.operator}"`);
        const arg = build(n.argument);
        return (env) => op(arg(env));
      }
      case 'BinaryExpression': {
        const n = node as jsep.BinaryExpression;
        const left = build(n.left), right = build(n.right);
        if (n.operator === '&&') return (env) => Boolean(left(env)) && Boolean(right(env));
        if (n.operator === '||') return (env) => Boolean(left(env)) || Boolean(right(env));
        const op = BINARY[n.operator] ?? fail(`unsupported operator "${n.operator}"`);
        return (env) => op(left(env), right(env));
      }
      case 'ConditionalExpression': {
        const n = node as jsep.ConditionalExpression;
        const t = build(n.test), a = build(n.consequent), b = build(n.alternate);
        return (env) => (t(env) ? a(env) : b(env));
      }
      case 'CallExpression': {
        const n = node as jsep.CallExpression;
        const name = n.callee.type === 'Identifier' ? (n.callee as jsep.Identifier).name : '';
        const fn = ctx.functions?.[name] ?? fail(`unknown function "${name}" (known: ${Object.keys(ctx.functions ?? {}).join(', ') || 'none'})`);
        const args = n.arguments.map(build);
        return (env) => fn(...args.map((a) => Number(a(env))));
      }
      default:
        return fail(`unsupported syntax (${node.type})`);
    }
  };
  return build(ast);
}
