/**
 * The slice of the WebAssembly JS API the kernel host uses. The repository compiles against
 * lib ES2023 without DOM, and @types/node 20 does not declare `WebAssembly`, so the host types
 * the global itself here instead of adding a global declaration every package would see.
 */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

export interface WasmModuleEntry {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
}

interface WasmApi {
  Module: (new (bytes: Uint8Array) => WasmModule) & {
    imports(module: WasmModule): WasmModuleEntry[];
    exports(module: WasmModule): Omit<WasmModuleEntry, 'module'>[];
  };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export const wasmApi: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
