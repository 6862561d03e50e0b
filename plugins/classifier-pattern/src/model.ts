import { z } from 'zod';
import { regimenError } from '@regimen/core';
import { PatternOptionsSchema } from './options.js';

/**
 * Nothing is estimated: the "model" records the resolved rule parameters, so the saved JSON says
 * exactly which rules produced the labels.
 */
export const PatternModelSchema = z
  .object({
    kind: z.literal('pattern'),
    version: z.literal(1),
    names: z.array(z.string()),
    params: PatternOptionsSchema.required(),
  })
  .strict();

export type PatternModel = z.output<typeof PatternModelSchema>;

/** Label order: breakout = 0 and range = 1 in both modes, so labels mean the same with trend on or off. */
export function regimeNames(trend: boolean): string[] {
  return trend ? ['breakout', 'range', 'trend_up', 'trend_down'] : ['breakout', 'range'];
}

export function parseModel(model: unknown): PatternModel {
  const r = PatternModelSchema.safeParse(model);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw regimenError({ code: 'plugin', field: issue.path.join('.') || undefined, message: `pattern model${issue.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue.message}` });
}
