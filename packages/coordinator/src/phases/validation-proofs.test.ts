import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { createRng, workspacePaths, type Engine } from '@regimen/core';
import { loadWasmEngine, referenceEngine } from '@regimen/kernel';
import { runAdaptive } from '@regimen/backtester';
import { lookAheadCheck, lookAheadCuts, transitionPoints, verifyTransitions } from '../no-look-ahead.js';
import { runWorkflow } from '../run.js';
import { analysisFiles, countingStageTasks, peekingEngine, smallWorkflow, trendFixture } from '../test-fixtures.js';
import { checkProofPart, combineParts, proofParts, type ProofData } from './validation-proofs.js';

describe('the proofs in parts', () => {
  it('cut ascending bars into consecutive runs of about equal work, every bar once', () => {
    const bars = [3, 10, 11, 500, 501, 502, 900, 990, 991, 999];
    for (const parts of [1, 2, 3, 4, 7, 10, 20]) {
      const cut = proofParts(bars, parts);
      expect(cut.flat()).toEqual(bars);
      expect(cut.length).toBeLessThanOrEqual(Math.min(parts, bars.length));
      expect(cut.every((p) => p.length > 0)).toBe(true);
    }
    // work grows with the bar: the late bars are spread thinner than the early ones
    expect(proofParts(bars, 2)).toEqual([[3, 10, 11, 500, 501, 502, 900], [990, 991, 999]]);
    expect(proofParts([], 4)).toEqual([]);
  });

  const { labels, input } = trendFixture();
  const window = input.window;
  const relabel = (n: number) => labels(n);
  const changes = (pos: Float64Array) => {
    const transitions: number[] = [];
    const trades: number[] = [];
    for (let t = window.start + 1; t < window.end; t++) {
      if (input.regime.labels[t] !== input.regime.labels[t - 1]) transitions.push(t);
      if (pos[t] !== pos[t - 1]) trades.push(t);
    }
    return { transitions, trades };
  };
  const whole = (engine: Engine, positions: Float64Array, cutsWanted: number | 'all') => {
    const { transitions, trades } = changes(positions);
    return {
      lookAhead: lookAheadCheck({ rng: createRng(3), engine }, input, positions, (n) => [labels(n)], cutsWanted),
      verified: verifyTransitions(input, positions, transitions, trades, engine, cutsWanted === 'all'),
    };
  };
  const inParts = (engine: Engine, positions: Float64Array, cutsWanted: number | 'all', parts: number) => {
    const data: ProofData = { ...input, positions };
    const { transitions, trades } = changes(positions);
    const cuts = lookAheadCuts(createRng(3), window, positions, cutsWanted);
    const points = transitionPoints(transitions, trades, cutsWanted === 'all');
    const la = proofParts(cuts, parts).map((c) => checkProofPart(data, { kind: 'look_ahead', cuts: c }, engine, relabel));
    const tr = proofParts(points, parts).map((p) => checkProofPart(data, { kind: 'transitions', points: p }, engine, relabel));
    return { lookAhead: { ...combineParts(la), cuts }, verified: { ...combineParts(tr), checked: points.length } };
  };

  it('answer as the whole checks do — the same cuts, the same first failure — in any number of parts', async () => {
    const wasm = await loadWasmEngine();
    for (const [engine, wanted] of [[referenceEngine, 5], [peekingEngine, 5], [peekingEngine, 'all'], [wasm, 40]] as const) {
      const positions = runAdaptive(input, engine).positions;
      const want = whole(engine, positions, wanted);
      for (const parts of [1, 2, 3, 7]) expect(inParts(engine, positions, wanted, parts), `${engine.name} ${wanted} ${parts}`).toEqual(want);
    }
    // the peeking engine is caught in parts too, at the bar the whole check names
    const peeking = whole(peekingEngine, runAdaptive(input, peekingEngine).positions, 'all');
    expect([peeking.lookAhead.ok, peeking.verified.ok]).toEqual([false, false]);
    expect(peeking.lookAhead.firstFailure).toBeGreaterThan(window.start);
  });
});

// proof tasks run the built module (dist/stage-worker.js) on the pool's threads
const built = !requireOrSkip('the built stage worker', builtMissing(new URL('../../dist/stage-worker.js', import.meta.url), new URL('../../../backtester/dist/worker.js', import.meta.url)));

describe.skipIf(!built)('a single series\' proofs as tasks on the pool', () => {
  it('write the files of the proofs run on the coordinator\'s thread, byte for byte (every bar checked: a short series\' sampled proofs stay on this thread)', async () => {
    const { dir, config } = smallWorkflow({ bars: 700 });
    const kinds: string[] = [];
    const executors = countingStageTasks(kinds);
    await runWorkflow(config, { outDir: join(dir, 'parts'), workers: 2, executor: 'count://', executors, exhaustive: true });
    // a single series validates on this thread and sends its proofs' parts: up to 4 of each proof
    expect(kinds.every((k) => k === 'proof')).toBe(true);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    await runWorkflow(config, { outDir: join(dir, 'here'), workers: 0, exhaustive: true });
    const [parts, here] = [join(dir, 'parts'), join(dir, 'here')];
    expect(analysisFiles(parts)).toEqual(analysisFiles(here));
    for (const file of [workspacePaths(parts).validationTrades, workspacePaths(parts).validationEquity]) {
      expect(readFileSync(file).equals(readFileSync(file.replace(parts, here))), file).toBe(true);
    }
    const { checks, bars } = JSON.parse(readFileSync(workspacePaths(parts).validationResults, 'utf8'));
    expect(checks.look_ahead.passed).toBe(true);
    expect(checks.look_ahead.cuts.length).toBe(bars - 1); // every bar of the test split but the last
    expect(checks.transitions_verified).toBe(true);
  }, 120_000);
});
