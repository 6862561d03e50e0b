import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { BarColumns, StrategyPlugin, TrialBatch } from '@regimen/core';
import { referenceEngine } from '../reference/engine.js';
import { positionsAtCutsByRuns } from '../reference/cut-positions.js';
import { parseStrategyPluginParams } from '../reference/strategies/catalog.js';
import { useStrategyPlugin } from '../strategy-plugins/builtin.js';
import { randomWalk } from './random-walk.js';
import { checkStrategyPlugin, wasmStrategyPositions } from './strategy-check.js';
import { staticState } from './wasm-sections.js';
import { createWasmEngine } from './wasm-engine.js';

/**
 * Hand-assembled WebAssembly modules (binary format, core spec §5) with the strategy ABI:
 * positions(time, open, high, low, close, volume, bars, args, out, scratch). The default body
 * stores 1.0 at out[0] (long on the first bar only, a causal rule); the options add what the
 * host must refuse.
 */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const str = (s: string) => [s.length, ...Buffer.from(s)];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const f64 = (x: number) => [...new Uint8Array(Float64Array.of(x).buffer)];

/** out[0] = 1.0 (local 8 is out) */
const FIRST_IS_LONG = [0x20, 8, 0x44, ...f64(1), 0x39, 3, 0];

function module(o: { body?: number[]; data?: boolean; global?: boolean; extraImport?: boolean; memory?: 'shared' | 'own' | 'unshared'; name?: string } = {}): Uint8Array {
  const memoryLimits = o.memory === 'unshared' ? [0x01, ...leb(1), ...leb(65536)] : [0x03, ...leb(1), ...leb(65536)];
  const imports: number[][] = [];
  if (o.extraImport) imports.push([...str('env'), ...str('seed'), 0x00, 1]);
  if (o.memory !== 'own') imports.push([...str('env'), ...str('memory'), 0x02, ...memoryLimits]);
  const funcIndex = o.extraImport ? 1 : 0;
  const body = [0, ...(o.body ?? FIRST_IS_LONG), 0x0b];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array(10).fill([0x7f])), 0], [0x60, 0, 1, 0x7c]])),
    ...section(2, vec(imports)),
    ...section(3, vec([[0]])),
    ...(o.memory === 'own' ? section(5, vec([[0x03, ...leb(1), ...leb(65536)]])) : []),
    ...(o.global ? section(6, vec([[0x7f, 1, 0x41, 0, 0x0b]])) : []),
    ...section(7, vec([[...str(o.name ?? 'positions'), 0x00, funcIndex]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
    ...(o.data ? section(11, vec([[0x00, 0x41, 0x00, 0x0b, ...str('hello')]])) : []),
  ];
  return Uint8Array.from(bytes);
}

const dir = mkdtempSync(join(tmpdir(), 'regimen-strategy-wasm-'));
let files = 0;
function pluginWith(bytes: Uint8Array, name = 'first-long'): StrategyPlugin<{ warm: number }> {
  const file = join(dir, `m${files++}.wasm`);
  writeFileSync(file, bytes);
  return {
    kind: 'strategy',
    name,
    params: z.strictObject({ warm: z.number().int().default(0) }),
    warmup: (p) => p.warm,
    // the reference of FIRST_IS_LONG
    positions: (_bars, _p, out) => void (out[0] = 1),
    wasm: { module: file, args: (p) => [p.warm] },
  };
}

const close = randomWalk(500, 5);
const bars: BarColumns = { time: Float64Array.from(close, (_, i) => i), open: close, high: close, low: close, close };

describe('strategy plugins in WebAssembly', () => {
  it('runs a module over the kernel memory and matches its TypeScript reference', () => {
    const p = pluginWith(module());
    const params = parseStrategyPluginParams(p, {});
    const run = wasmStrategyPositions(p, bars, params, true);
    expect(run.positions[0]).toBe(1);
    expect(run.positions.subarray(1).every((v) => v === 0)).toBe(true);
    expect(run.strayWrite).toBe(-1);
    expect(() => checkStrategyPlugin(p, bars, params)).not.toThrow();
  });

  it('reads the sections that matter: data segments and mutable globals', () => {
    expect(staticState(module())).toEqual({ dataSegments: 0, mutableGlobals: 0 });
    expect(staticState(module({ data: true, global: true }))).toEqual({ dataSegments: 1, mutableGlobals: 1 });
  });

  it('catches a module that writes outside its output and scratch', () => {
    // f64.store 1.0 at address 32 (page 0, never the host's; 32 is its signed LEB128 too)
    const p = pluginWith(module({ body: [0x41, 32, 0x44, ...f64(1), 0x39, 3, 0] }));
    const run = wasmStrategyPositions(p, bars, parseStrategyPluginParams(p, {}), true);
    expect(run.strayWrite).toBeGreaterThanOrEqual(32);
    expect(run.strayWrite).toBeLessThan(40);
  });

  it.each([
    ['static data', module({ data: true }), /"bad": its WebAssembly has static data/],
    ['a mutable global', module({ global: true }), /"bad": its WebAssembly has mutable globals/],
    ['another import', module({ extraImport: true }), /"bad": its WebAssembly imports env\.seed; it may import only env\.memory/],
    ['its own memory', module({ memory: 'own' }), /"bad": its WebAssembly does not import its memory; build it with --importMemory --sharedMemory/],
    ['no positions export', module({ name: 'run' }), /"bad": its WebAssembly exports no function "positions"/],
    ['an unshared memory', module({ memory: 'unshared' }), /"bad": its WebAssembly cannot use the engine's shared memory/],
    ['a trap', module({ body: [0x00] }), /"bad" failed in its WebAssembly positions: unreachable/],
    ['bytes that are not wasm', Uint8Array.from([1, 2, 3]), /"bad": .*m\d+\.wasm is not a WebAssembly module/],
  ])('refuses %s with one line naming the plugin', (_what, bytes, message) => {
    const p = pluginWith(bytes, 'bad');
    expect(() => wasmStrategyPositions(p, bars, parseStrategyPluginParams(p, {}))).toThrow(message);
  });

  it('names the bar where a module disagrees with its reference, and checks its positions like any trial', () => {
    const p = { ...pluginWith(module()), positions: (_b: BarColumns, _p: unknown, out: Float64Array) => void out.fill(1, 0, 4) };
    expect(() => checkStrategyPlugin(p, bars, parseStrategyPluginParams(p, {}))).toThrow(/"first-long": its WebAssembly positions differ from its TypeScript positions\(\) at bar 1 \(0 vs 1\)/);
    const warm = pluginWith(module());
    expect(() => wasmStrategyPositions(warm, bars, parseStrategyPluginParams(warm, { warm: 1 }))).toThrow(/wasm positions gave 1 at bar 0, but the first 1 bars \(its warm-up\) must be 0/);
  });

  it('the wasm engine runs plugin trials, TypeScript or WebAssembly, with the reference engine\'s rows', () => {
    const wasm = pluginWith(module(), 'first-long-wasm');
    const ts = { ...pluginWith(module(), 'first-long-ts'), wasm: undefined };
    useStrategyPlugin(wasm, 'test');
    useStrategyPlugin(ts, 'test');
    const batch: TrialBatch = {
      bars, window: { start: 0, end: 500 }, regimes: [], costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: true,
      trials: [
        { trial_id: 'w', strategy: 's', type: 'first-long-wasm', params: { warm: 0, side: 'long_short' } },
        { trial_id: 't', strategy: 's', type: 'first-long-ts', params: { warm: 0, side: 'long_only' } },
        { trial_id: 'b', strategy: 's', type: 'momentum', params: { lookback: 5, side: 'long_short' } },
      ],
    };
    const engine = createWasmEngine();
    const rows = engine.runTrials(batch);
    expect(rows).toEqual(referenceEngine.runTrials(batch));
    // the proofs' positions on cut data: plugin trials run on the cut bars, the kernel's own beside them
    const cuts = batch.trials.map(() => [0, 3, 250, 499]);
    const atCuts = engine.positionsAtCuts!(bars, batch.trials, cuts);
    expect(atCuts).toEqual(positionsAtCutsByRuns(referenceEngine, bars, batch.trials, cuts));
    expect(Array.from(atCuts[0]!)).toEqual([1, 0, 0, 0]);
    expect(Array.from(rows[0]!.signals!.bar)).toEqual([0, 1]);
    expect(rows[0]!.metrics.trades).toBe(1);
  });
});
