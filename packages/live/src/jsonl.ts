import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { parseWith, regimenError } from '@regimen/core';

/**
 * An append-only JSON-lines file that survives SIGKILL at any moment: lines are appended complete
 * with their newline in one write() and fsync'd before anything else happens, so a killed process
 * leaves at worst one unterminated final line. That torn tail was never acknowledged to anyone:
 * `repairTail` cuts it, and the next call writes it again. Never a duplicated or half line.
 */
export function repairTail(file: string): number {
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

/** Every line, validated by `schema` (a torn final line is repaired first); [] for a missing file. */
export function readJsonLines<S extends z.ZodType>(file: string, schema: S): Array<z.infer<S>> {
  if (!existsSync(file)) return [];
  repairTail(file);
  const out: Array<z.infer<S>> = [];
  let lineNo = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    lineNo++;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw regimenError({ code: 'workspace', file, field: `line ${lineNo}`, message: 'not valid JSON: ' + (e as Error).message });
    }
    out.push(parseWith(schema, value, { file: `${file}:${lineNo}`, code: 'workspace' }));
  }
  return out;
}

/** Append lines (validated by `schema` first, so nothing malformed is ever written) in one write, then fsync. */
export function appendJsonLines<S extends z.ZodType>(file: string, schema: S, lines: Array<z.infer<S>>): void {
  if (lines.length === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  repairTail(file);
  const data = Buffer.from(lines.map((l) => JSON.stringify(schema.parse(l)) + '\n').join(''), 'utf8');
  const fd = openSync(file, 'a');
  try {
    let off = 0;
    // one write() for the whole batch; the loop only continues if the kernel takes it in parts
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
