import { optimizerConformance } from '@regimen/plugin-testkit';
import grid from './index.js';

// Regimen's optimizer kit on the built-in grid: the full grid, and a seeded sample of it
optimizerConformance(grid);
optimizerConformance(grid, { options: { sample: 7 }, seed: 3 });
