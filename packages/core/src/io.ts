import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { RegimenError } from './errors.js';
import { tempFileFor } from './temp-files.js';
import { writeFailure } from './write-faults.js';

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops forever where mkdir answers ENOENT
 * for an existing parent (e.g. under /proc), and a plain error is what a user needs.
 */
export function ensureDir(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

export interface WriteOptions {
  /**
   * fsync before the rename (default true). Per-trial files pass false: the rename alone keeps
   * them whole across a crash of the process, and resume re-validates each one, so only an OS
   * crash could cost one — rerun, not lost — while thousands of fsyncs would dominate phase time.
   */
  durable?: boolean;
}

/**
 * Open a temp file for writing, creating its folder only when it is missing: phase 1 writes
 * thousands of files into two folders, and a mkdir per file was a system call for nothing.
 */
function openTemp(tmp: string): number {
  try {
    return openSync(tmp, 'w');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dirname(tmp), { recursive: true });
    return openSync(tmp, 'w');
  }
}

/**
 * Write a file so that readers see either the old content or the whole new one: temp file in the
 * same directory, fsync, rename. Rename within one directory is atomic on POSIX file systems.
 * A write that fails (a full disk, permissions) removes its temp file and throws one error value
 * naming the file relative to its workspace (write-faults.ts); the old content stays.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  let tmp: string | undefined;
  try {
    const name = tempFileFor(path);
    const fd = openTemp(name);
    tmp = name; // from here on there is a temp file to remove if the write fails
    try {
      // write(2) may write less than asked (a disk filling up does, before it fails): loop, so a
      // short write ends in the error instead of a cut file renamed into place
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      if (opts.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    if (tmp) rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

/** JSON with sorted-insertion keys as built, 2-space indent and a final newline: byte-stable. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export function writeJsonAtomic(path: string, value: unknown, opts?: WriteOptions): void {
  writeFileAtomic(path, toJsonText(value), opts);
}

/** zod issue path → `a.b[2].c` */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Validate `value` with `schema`; on failure throw one RegimenError naming file, field and value. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: { file?: string; code?: 'config' | 'workspace' | 'data' | 'plugin' | 'usage'; prefix?: string },
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [where.prefix, issuePath(issue.path)].filter(Boolean).join('.');
  const bad = valueAt(value, issue.path);
  throw new RegimenError({
    code: where.code ?? 'workspace',
    file: where.file,
    field: field || undefined,
    value: bad,
    message: issue.message,
  });
}

/** Read a JSON file from a workspace and validate it; a missing or broken file is one clear error. */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S, code: 'workspace' | 'config' = 'workspace'): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RegimenError({ code, file: path, message: 'cannot read file (' + (e as NodeJS.ErrnoException).code + ')', cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RegimenError({ code, file: path, message: 'not valid JSON: ' + (e as Error).message, cause: e });
  }
  return parseWith(schema, value, { file: path, code });
}

/** Canonical JSON (object keys sorted, recursively) — the input of every content hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
