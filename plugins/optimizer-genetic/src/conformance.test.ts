import { optimizerConformance } from '@regimen/plugin-testkit';
import genetic from './index.js';

// Regimen's optimizer kit on the built-in genetic search: defaults, and a small population whose
// generations run out before the discrete space does
optimizerConformance(genetic);
optimizerConformance(genetic, { options: { population: 6, generations: 4, elite: 1 }, seed: 11, batch: 4 });
