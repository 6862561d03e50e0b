import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  const buf = readFileSync(file);
  if (buf.length === 0 || buf[buf.length - 1] === 0x0a) return 0;
  const keep = buf.lastIndexOf(0x0a) + 1;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, keep);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return buf.length - keep;
}

/** Every line of the journal, validated (a torn final line is repaired first). */
export function readJournal(stateDir: string): JournalLine[] {
  const file = journalPath(stateDir);
  if (!existsSync(file)) return [];
  repairJournal(stateDir);
  const text = readFileSync(file, 'utf8');
  const out: JournalLine[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw regimenError({ code: 'workspace', file, field: `line ${lineNo}`, message: 'not valid JSON: ' + (e as Error).message });
    }
    out.push(parseWith(JournalLineSchema, value, { file: `${file}:${lineNo}`, code: 'workspace' }));
  }
  return out;
}

/** Append lines, each complete with its newline, in one write, then fsync. */
export function appendJournal(stateDir: string, lines: JournalLine[]): void {
  if (lines.length === 0) return;
  mkdirSync(stateDir, { recursive: true });
  repairJournal(stateDir);
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
}
