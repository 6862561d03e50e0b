import { z } from 'zod';

export const GeneticOptionsSchema = z
  .object({
    /** candidates per generation */
    population: z.number().int().min(2).default(24),
    /** generations at most, the first (random) one included */
    generations: z.number().int().min(1).default(20),
    /** best members carried unchanged into the next generation */
    elite: z.number().int().min(0).default(2),
    /** members drawn per tournament; the best of them becomes a parent */
    tournament: z.number().int().min(1).default(3),
    /** probability that a child mixes two parents rather than copying one */
    crossover_rate: z.number().min(0).max(1).default(0.9),
    /** probability that each gene of a child mutates */
    mutation_rate: z.number().min(0).max(1).default(0.2),
    /** stop after this many generations without a better best score */
    patience: z.number().int().min(1).default(5),
  })
  .strict()
  .refine((o) => o.elite < o.population, { message: 'elite must be smaller than population', path: ['elite'] });
export type GeneticOptions = z.infer<typeof GeneticOptionsSchema>;
