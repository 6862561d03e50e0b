import { z } from 'zod';
import { regimenError } from '@regimen/core';
import { FeatureSpecSchema } from './options.js';
import type { HmmParams } from './params.js';

const prob = z.number().min(0).max(1);

/** The fitted model as saved in metadata/classifiers/<name>.json; plain numbers, so JSON round-trips exactly. */
export const HmmModelSchema = z
  .object({
    kind: z.literal('gaussian_hmm'),
    version: z.literal(1),
    states: z.number().int().min(1),
    names: z.array(z.string()),
    features: z.array(FeatureSpecSchema).min(1),
    initial_mode: z.enum(['stationary', 'fitted']),
    /** means[i][f], states in canonical order (mean of the first feature, descending) */
    means: z.array(z.array(z.number())),
    variances: z.array(z.array(z.number().positive())),
    /** transition[i][j] = P(s_t = j | s_{t−1} = i) */
    transition: z.array(z.array(prob)),
    initial: z.array(prob),
    /** absolute variance floor per feature */
    variance_floor: z.array(z.number().positive()),
    log_likelihood: z.number(),
    iterations: z.number().int().min(0),
    converged: z.boolean(),
    /** the restart (0-based) whose fit was kept, and how many ran */
    restart: z.number().int().min(0),
    restarts: z.number().int().min(1),
    seed: z.number().int(),
    /** observations the model was fitted on (training bars after warm-up) */
    train_bars: z.number().int().min(0),
  })
  .strict()
  .superRefine((m, ctx) => {
    const k = m.states;
    const d = m.features.length;
    const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (m.names.length !== k) bad('names', `needs ${k} names`);
    if (m.means.length !== k || m.means.some((r) => r.length !== d)) bad('means', `needs ${k}×${d} values`);
    if (m.variances.length !== k || m.variances.some((r) => r.length !== d)) bad('variances', `needs ${k}×${d} values`);
    if (m.transition.length !== k || m.transition.some((r) => r.length !== k)) bad('transition', `needs ${k}×${k} values`);
    else if (m.transition.some((r) => Math.abs(r.reduce((a, b) => a + b, 0) - 1) > 1e-9)) bad('transition', 'rows must sum to 1');
    if (m.initial.length !== k) bad('initial', `needs ${k} values`);
    if (m.variance_floor.length !== d) bad('variance_floor', `needs ${d} values`);
  });

export type HmmModel = z.output<typeof HmmModelSchema>;

/** Validate a model read back from a workspace file, one clear line on failure. */
export function parseModel(model: unknown): HmmModel {
  const r = HmmModelSchema.safeParse(model);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw regimenError({ code: 'plugin', field: issue.path.join('.') || undefined, message: `hmm model${issue.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue.message}` });
}

/** Names by canonical position: K=2 bull/bear, K=3 bull/neutral/bear, else state_0..state_{K−1}. */
export function stateNames(k: number): string[] {
  if (k === 2) return ['bull', 'bear'];
  if (k === 3) return ['bull', 'neutral', 'bear'];
  return Array.from({ length: k }, (_, i) => `state_${i}`);
}

/**
 * Permute states into the canonical order: mean of the first feature descending, ties by the first
 * variance ascending. Label switching makes the fitted state order arbitrary; this makes names stable
 * across seeds and refits.
 */
export function canonicalOrder(p: HmmParams): number[] {
  const d = p.dims;
  return Array.from({ length: p.states }, (_, i) => i).sort(
    (a, b) => p.means[b * d]! - p.means[a * d]! || p.variances[a * d]! - p.variances[b * d]! || a - b,
  );
}

export function permuteParams(p: HmmParams, order: number[]): HmmParams {
  const k = p.states;
  const d = p.dims;
  const q: HmmParams = {
    states: k,
    dims: d,
    means: new Float64Array(k * d),
    variances: new Float64Array(k * d),
    transition: new Float64Array(k * k),
    initial: new Float64Array(k),
  };
  order.forEach((from, to) => {
    for (let f = 0; f < d; f++) {
      q.means[to * d + f] = p.means[from * d + f]!;
      q.variances[to * d + f] = p.variances[from * d + f]!;
    }
    q.initial[to] = p.initial[from]!;
    order.forEach((from2, to2) => (q.transition[to * k + to2] = p.transition[from * k + from2]!));
  });
  return q;
}

const rows = (a: Float64Array, k: number, w: number) => Array.from({ length: k }, (_, i) => Array.from(a.subarray(i * w, i * w + w)));

export function paramsToJson(p: HmmParams) {
  return {
    means: rows(p.means, p.states, p.dims),
    variances: rows(p.variances, p.states, p.dims),
    transition: rows(p.transition, p.states, p.states),
    initial: Array.from(p.initial),
  };
}

export function paramsFromModel(m: HmmModel): HmmParams {
  return {
    states: m.states,
    dims: m.features.length,
    means: Float64Array.from(m.means.flat()),
    variances: Float64Array.from(m.variances.flat()),
    transition: Float64Array.from(m.transition.flat()),
    initial: Float64Array.from(m.initial),
  };
}
