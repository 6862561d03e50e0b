// The WebAssembly kernel's exports: pointer/length routines over one shared memory (imported as
// env.memory). Nothing here allocates; the host lays out every region.
export { smaBlock } from './rolling-sma';
export { smaCrossBatch, smaCrossBlock, smaCrossStateBytes } from './sma-cross';
