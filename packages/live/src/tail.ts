import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { BarColumns, LiveState } from '@regimen/core';
import { isoTime, readingOptions, readMarketData } from '@regimen/data';
import type { LiveRun } from './open.js';

/** The data file's prefix a state vouches for: its first `bytes` bytes (bars 0..last, whole lines) and their sha256. */
export interface SourcePrefix {
  bytes: number;
  sha256: string;
}

const CHUNK = 1 << 22;

/** sha256 of the first `bytes` bytes of an open file, read in chunks (the hash object: more may follow). */
function prefixHash(fd: number, bytes: number, h = createHash('sha256')): Hash {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, bytes)));
  for (let at = 0; at < bytes;) {
    const got = readSync(fd, buf, 0, Math.min(buf.length, bytes - at), at);
    if (got <= 0) break;
    h.update(buf.subarray(0, got));
    at += got;
  }
  return h;
}

function readAt(fd: number, at: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const r = readSync(fd, buf, got, length - got, at + got);
    if (r <= 0) break;
    got += r;
  }
  return buf.subarray(0, got);
}

/** Whether a run's data file can be read by its tail: a CSV read row by row (no resampling, which merges rows across the cut). */
export const tailReadable = (run: LiveRun, dataFile: string): boolean => extname(dataFile).toLowerCase() === '.csv' && !run.config.data.resample;

/**
 * The prefix a new state can vouch for: the whole file, when it ends with a newline (every line,
 * including bar last's, complete). Null otherwise (then the state vouches by the bars' hash only).
 */
export function sourcePrefix(dataFile: string): SourcePrefix | null {
  const fd = openSync(dataFile, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0 || readAt(fd, size - 1, 1)[0] !== 0x0a) return null;
    return { bytes: size, sha256: prefixHash(fd, size).digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** Whether the file still begins with the bytes the state's prefix hashed (a revised byte anywhere in bars 0..last fails it). */
export function prefixUnchanged(dataFile: string, source: SourcePrefix): boolean {
  const fd = openSync(dataFile, 'r');
  try {
    return fstatSync(fd).size >= source.bytes && prefixHash(fd, source.bytes).digest('hex') === source.sha256;
  } finally {
    closeSync(fd);
  }
}

/**
 * The bars of a data file without parsing its history again: the state's prefix (bars 0..last,
 * whole lines) is checked by hashing its bytes — all of them: a sample of blocks would miss a
 * revised bar — and only the lines after it are parsed, with the run's reading options, after the
 * header and bar last's own line (which must parse back to the state's last bar: the same
 * reading of the same text). The result has the file's length with bars last.. filled and the
 * history before them left 0: what a stepped decision reads (bar last's time and close, the new
 * bars). Null when the file cannot be read this way (not a row-by-row CSV, a changed prefix, an
 * unterminated last line, a new bar not after the last one): the caller reads the file whole,
 * whose checks name what is wrong.
 */
export async function readTail(run: LiveRun, dataFile: string, state: LiveState & { source?: SourcePrefix }, lastClose: number): Promise<{ bars: BarColumns; source: SourcePrefix } | null> {
  const source = state.source;
  if (!source || !tailReadable(run, dataFile)) return null;
  const fd = openSync(dataFile, 'r');
  let text: string;
  let next: SourcePrefix;
  try {
    const size = fstatSync(fd).size;
    if (size < source.bytes || readAt(fd, size - 1, 1)[0] !== 0x0a) return null;
    // one pass: the prefix's hash is checked, then the same hash goes on over the new lines (the next state's prefix)
    const h = prefixHash(fd, source.bytes);
    if (h.copy().digest('hex') !== source.sha256) return null;
    const added = readAt(fd, source.bytes, size - source.bytes);
    next = { bytes: size, sha256: h.update(added).digest('hex') };
    const head = readAt(fd, 0, Math.min(source.bytes, 1 << 16)).toString('utf8');
    const headerEnd = head.indexOf('\n');
    const back = Math.min(source.bytes, 1 << 16);
    const before = readAt(fd, source.bytes - back, back).toString('utf8');
    // bar last's line: after the newline before the prefix's final one (the whole window when it starts the file)
    const lineStart = before.lastIndexOf('\n', before.length - 2) + 1;
    if (headerEnd < 0 || (lineStart === 0 && back < source.bytes)) return null;
    text = head.slice(0, headerEnd + 1) + before.slice(lineStart) + added.toString('utf8');
  } finally {
    closeSync(fd);
  }
  const dir = mkdtempSync(join(tmpdir(), 'regimen-tail-'));
  let tail: BarColumns;
  try {
    const file = join(dir, 'tail.csv');
    writeFileSync(file, text);
    tail = (await readMarketData(file, { ...readingOptions(run.config.data), minBars: 1 })).bars;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const last = state.last.bar;
  // bar last read back as it was decided, and every new bar after it
  if (isoTime(tail.time[0]!) !== state.last.time || !Object.is(tail.close[0], lastClose)) return null;
  if (tail.close.length > 1 && !(tail.time[1]! > tail.time[0]!)) return null;
  const n = last + tail.close.length;
  const full = (col: Float64Array) => {
    const out = new Float64Array(n);
    out.set(col, last);
    return out;
  };
  const bars: BarColumns = { time: full(tail.time), open: full(tail.open), high: full(tail.high), low: full(tail.low), close: full(tail.close), ...(tail.volume ? { volume: full(tail.volume) } : {}) };
  return { bars, source: next };
}
