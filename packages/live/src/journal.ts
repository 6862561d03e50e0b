import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { JournalLineSchema, parseWith, regimenError, type JournalLine } from '@regimen/core';

export const journalPath = (stateDir: string): string => join(stateDir, 'decisions.jsonl');

/**
 * A journal line is one JSON object and its newline, written by one write() and made durable by
 * fsync before anything else is written: a killed process leaves at worst one unterminated final
 * line. `repairJournal` cuts that torn tail (it was never acknowledged, so the bar it was for is
 * still "new" and the next call decides it again) and returns how many bytes it removed.
 */
export function repairJournal(stateDir: string): number {
  const file = journalPath(stateDir);
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    // only the tail is read: the journal grows by a line a bar and a call must not cost its length
    let end = size;
    const chunk = Buffer.alloc(65536);
    let keep = 0;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const got = readSync(fd, chunk, 0, end - start, start);
      const nl = chunk.subarray(0, got).lastIndexOf(0x0a);
      if (nl >= 0) {
        keep = start + nl + 1;
        break;
      }
      end = start;
    }
    if (keep === size) return 0;
    ftruncateSync(fd, keep);
    fsyncSync(fd);
    return size - keep;
  } finally {
    closeSync(fd);
  }
}

/** Every line of the journal from byte `from` (a line start; default the beginning), validated (a torn final line is repaired first). */
export function readJournal(stateDir: string, from = 0): JournalLine[] {
  const file = journalPath(stateDir);
  if (!existsSync(file)) return [];
  repairJournal(stateDir);
  const fd = openSync(file, 'r');
  let text: string;
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - from));
    let off = 0;
    while (off < buf.length) off += readSync(fd, buf, off, buf.length - off, from + off);
    text = buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
  const out: JournalLine[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    const where = from ? `byte ${from}, line ${lineNo}` : `line ${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw regimenError({ code: 'workspace', file, field: where, message: 'not valid JSON: ' + (e as Error).message });
    }
    out.push(parseWith(JournalLineSchema, value, { file: `${file} (${where})`, code: 'workspace' }));
  }
  return out;
}

/** The journal's size in bytes (0 when there is none). */
export function journalSize(stateDir: string): number {
  const file = journalPath(stateDir);
  return existsSync(file) ? statSync(file).size : 0;
}

/** Append lines, each complete with its newline, in one write, then fsync; returns the byte offset of the first. */
export function appendJournal(stateDir: string, lines: JournalLine[]): number {
  mkdirSync(stateDir, { recursive: true });
  repairJournal(stateDir);
  const offset = journalSize(stateDir);
  if (lines.length === 0) return offset;
  const text = lines.map((l) => JSON.stringify(JournalLineSchema.parse(l)) + '\n').join('');
  const fd = openSync(journalPath(stateDir), 'a');
  try {
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    // one write() call for the whole batch; loop only if the kernel takes it in parts
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return offset;
}
