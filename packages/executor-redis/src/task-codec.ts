import { deserialize, serialize } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { isTaskModuleLink, regimenError, taskModuleLink } from '@regimen/core';
import { moduleRef, type TaskModule } from './compat.js';

/**
 * A module task (Executor.runTask) over the wire. A task is any structured-clonable value, so it
 * travels as V8's structured-clone bytes (what a worker thread would have received), with two
 * changes: views on shared memory (the HMM's features, shared with the coordinator's threads) are
 * copied, as memory cannot be shared between machines; and typed arrays of at least
 * OUTLINE_BYTES are taken out and published as blobs of their own, content-addressed, so the
 * features every restart of one fit sends are stored and fetched once, not once per task. On the
 * worker they come back in shared memory, so its pool threads read them in place too. A module
 * the task names (`{ regimenModule }`, core's TaskModuleLink: a classifier plugin a stage task
 * fits) travels as its package, version and path (compat.ts moduleRef) and comes back as the
 * worker's own installation of it.
 */
export const OUTLINE_BYTES = 16 * 1024;

const ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
export type ArrayKind = keyof typeof ARRAYS;
type AnyArray = InstanceType<(typeof ARRAYS)[ArrayKind]>;

/** what stands for a module link in the task's bytes */
export interface ModuleRefOnWire {
  regimenModuleRef: TaskModule;
}

/** A task naming a module no worker can find (a file outside any package): it runs on the coordinator's pool. */
export class UnportableTask extends Error {}

/** what stands for an outlined array in the task's bytes */
export interface ArrayRef {
  regimenArray: { sha: string; kind: ArrayKind; length: number };
}

const kindOf = (v: ArrayBufferView): ArrayKind | undefined => {
  const name = v.constructor.name;
  return name in ARRAYS && v instanceof ARRAYS[name as ArrayKind] ? (name as ArrayKind) : undefined;
};
const isShared = (v: ArrayBufferView) => typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer;

/** the bytes of a view, as they are in memory (both ends are little-endian machines in practice; V8's own clone assumes the same) */
export const bytesOf = (v: ArrayBufferView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/**
 * The task as bytes; `publish` stores an outlined array (once per array object) and gives its
 * hash. Plain objects and arrays are walked; anything else V8 can clone is left to it.
 */
export async function encodeTask(task: unknown, publish: (array: ArrayBufferView) => Promise<string>): Promise<Uint8Array> {
  const pending: Array<Promise<void>> = [];
  const walk = (v: unknown): unknown => {
    if (isTaskModuleLink(v)) {
      const ref = moduleRef(v.regimenModule);
      if (!ref) throw new UnportableTask(`module ${v.regimenModule} is in no package a worker could install`);
      return { regimenModuleRef: ref } satisfies ModuleRefOnWire;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const kind = kindOf(v);
      if (kind && v.byteLength >= OUTLINE_BYTES) {
        const ref: ArrayRef = { regimenArray: { sha: '', kind, length: (v as AnyArray).length } };
        pending.push(publish(v).then((sha) => void (ref.regimenArray.sha = sha)));
        return ref;
      }
      return isShared(v) ? (v as AnyArray).slice() : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const outlined = walk(task);
  await Promise.all(pending);
  return new Uint8Array(serialize(outlined));
}

/**
 * The task back from its bytes; `fetch` gives an outlined array (the worker keeps them by hash),
 * `locate` the file of a module the task names, in this worker's installation (it throws when
 * the worker may not or cannot run it).
 */
export async function decodeTask(bytes: Uint8Array, fetch: (ref: ArrayRef['regimenArray']) => Promise<ArrayBufferView>, locate: (ref: TaskModule) => string): Promise<unknown> {
  const value = deserializeOrFail(bytes, 'task');
  const pending: Array<Promise<void>> = [];
  const walk = (v: unknown, set: (x: unknown) => void): void => {
    if (isModuleRef(v)) {
      set(taskModuleLink(pathToFileURL(locate(v.regimenModuleRef)).href));
      return;
    }
    if (isArrayRef(v)) {
      pending.push(fetch(v.regimenArray).then(set));
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, (y) => (v[i] = y)));
    else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) walk(x, (y) => ((v as Record<string, unknown>)[k] = y));
    }
  };
  let out = value;
  walk(value, (y) => (out = y));
  await Promise.all(pending);
  return out;
}

function isModuleRef(v: unknown): v is ModuleRefOnWire {
  if (v === null || typeof v !== 'object' || !('regimenModuleRef' in v) || Object.keys(v).length !== 1) return false;
  const r = (v as ModuleRefOnWire).regimenModuleRef;
  return typeof r === 'object' && r !== null && typeof r.package === 'string' && (r.path === null || typeof r.path === 'string');
}

function isArrayRef(v: unknown): v is ArrayRef {
  if (v === null || typeof v !== 'object' || !('regimenArray' in v) || Object.keys(v).length !== 1) return false;
  const r = (v as ArrayRef).regimenArray;
  return typeof r === 'object' && r !== null && typeof r.sha === 'string' && typeof r.kind === 'string' && r.kind in ARRAYS && Number.isInteger(r.length) && r.length >= 0;
}

/** An outlined array from its blob's bytes, in shared memory (a worker's pool threads read it in place). */
export function arrayFromBytes(bytes: Uint8Array, ref: ArrayRef['regimenArray']): ArrayBufferView {
  const Kind = ARRAYS[ref.kind];
  if (bytes.byteLength !== ref.length * Kind.BYTES_PER_ELEMENT) {
    throw regimenError({ code: 'internal', field: 'task', value: ref.sha, message: `a task's ${ref.kind} from Redis has ${bytes.byteLength} bytes, ${ref.length} elements need ${ref.length * Kind.BYTES_PER_ELEMENT}` });
  }
  const out = new Kind(new SharedArrayBuffer(bytes.byteLength) as unknown as ArrayBuffer);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** A task's return value as bytes (shared memory copied), and back. */
export function encodeResult(value: unknown): Uint8Array {
  const plain = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return isShared(v) ? (v as AnyArray).slice() : v;
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  return new Uint8Array(serialize(plain(value)));
}

export function decodeResult(bytes: Uint8Array): unknown {
  return deserializeOrFail(bytes, 'task result');
}

function deserializeOrFail(bytes: Uint8Array, what: string): unknown {
  try {
    return deserialize(bytes);
  } catch (e) {
    throw regimenError({ code: 'internal', field: what, message: `a ${what} from Redis is not readable (${(e as Error).message})` });
  }
}
