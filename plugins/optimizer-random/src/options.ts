import { z } from 'zod';

export const RandomOptionsSchema = z
  .object({
    /**
     * uniform: independent uniform draws; sobol: Joe & Kuo's Sobol sequence with a seeded digital
     * shift; halton: the Halton sequence with a seeded rotation. Low-discrepancy points cover the
     * space more evenly than independent ones for the same number of trials.
     */
    sampler: z.enum(['uniform', 'sobol', 'halton']).default('uniform'),
    /** draws per candidate that may fail the constraints or repeat an earlier trial before the search gives up (continuous) or enumerates what is left (finite) */
    max_attempts: z.number().int().positive().default(10_000),
  })
  .strict();
export type RandomOptions = z.infer<typeof RandomOptionsSchema>;
