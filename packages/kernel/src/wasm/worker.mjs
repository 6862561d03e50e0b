// Piscina worker of the WebAssembly kernel. The whole worker is one task function; the kernel is
// instantiated once per worker against the shared memory that holds the market data, so a task
// carries only a routine name, its pointer arguments and where its result rows are.
// (Plain JavaScript: worker threads cannot load TypeScript, and this file is used both from
// src/ under vitest and from dist/, where the build copies it.)
import { workerData } from 'piscina';

const { module, memory } = workerData;
const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;

/** @param {{ routine: string, args: number[], out: number, length: number }} task */
export default function runKernelTask({ routine, args, out, length }) {
  kernel[routine](...args);
  // memory.buffer is re-read: the host may have grown the memory since the last task.
  return new Float64Array(memory.buffer, out, length).slice();
}
