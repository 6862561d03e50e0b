import { smaCrossStrategy } from '@regimen/strategy-sma-cross';

/**
 * The example sma-cross plugin without its WebAssembly: the same package's TypeScript positions
 * are what the engine runs. A module of its own, because pool workers import strategies by path.
 */
export default { ...smaCrossStrategy(), name: 'sma-cross-ts', description: 'sma-cross, TypeScript positions only', wasm: undefined };
