import { gridSize, isContinuous, iterateGrid, regimenError, type Search, type SearchSpace } from '@regimen/core';

/** Trials a search will run: its own estimate when it has one, else the grid size before constraints. */
export function estimateTrials(space: SearchSpace, search?: Pick<Search, 'estimate'>): number {
  return search?.estimate() ?? gridSize(space);
}

/**
 * An empty space after constraints is a config error, found before any backtest runs. The scan
 * stops at the first admissible point, so only an empty (or nearly empty) space is scanned whole.
 * Continuous spaces cannot be scanned and pass.
 */
export function assertSatisfiable(space: SearchSpace, where?: string): void {
  if (space.dimensions.some(isContinuous)) return;
  for (const _ of iterateGrid(space)) return;
  throw regimenError({ code: 'config', field: where, message: `no parameter set satisfies the constraints (${gridSize(space)} grid points tried)` });
}
