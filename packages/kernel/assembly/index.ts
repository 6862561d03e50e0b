// The WebAssembly kernel's exports: pointer/length routines over one shared memory (imported as
// env.memory). Nothing here allocates; the host lays out every region.
export { smaBlock } from './rolling-sma';
export { smaCrossBatch, smaCrossBlock, smaCrossStateBytes } from './sma-cross';
export { smaSeries, rsiSeries, donchianSeries } from './indicators';
export { momentumPositions, meanReversionPositions, smaCrossPositions, breakoutPositions, rsiPositions } from './strategies';
export { barReturns, groupBytes, evaluateWindow, positionEvents, replayCombine } from './evaluate';
export { replayCombos, replayBarCombos, replayOrder, replayStep, replayStateBytes, replayAddRepeated, replayTransitions, labelFirstBars } from './replay';
export { finishPositions } from './plugin-positions';
export { cscvWalk } from './cscv';
