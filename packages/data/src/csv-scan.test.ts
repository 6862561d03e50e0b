import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, formatError } from '@regimen/core';
import { readCsvHeader, scanCsvBody, type CsvCellKind } from './csv-scan.js';
import { isoTimeReader } from './time-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-csv-'));

function scan(text: string | Buffer, kinds: CsvCellKind[]) {
  const p = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(p, text);
  const header = readCsvHeader(p);
  return { header, body: scanCsvBody(header, { kinds, time: isoTimeReader() }), p };
}

describe('scanCsvBody', () => {
  it('reads a file of several 1 MiB pieces like a naive split, with CRLF, blank lines, spaces and quotes anywhere', () => {
    const rng = createRng(3);
    const rows: Array<{ t: number; a: number; s: string; line: number }> = [];
    const lines = ['\uFEFFtime , a,name,b'];
    let t = Date.UTC(2000, 0, 1);
    let size = 0;
    while (size < 2.3 * 2 ** 20) {
      if (rng.next() < 0.01) lines.push(rng.next() < 0.5 ? '' : '  \r');
      t += 60_000 * (1 + Math.floor(rng.next() * 3));
      const a = Math.round(rng.next() * 1e8) / 1e4;
      const s = rng.next() < 0.1 ? 'x, "quoted"' : `n${rows.length}`;
      const cellA = rng.next() < 0.1 ? `"${a}"` : ` ${a} `;
      const cellS = s.includes(',') ? `"${s.replaceAll('"', '""')}"` : s;
      lines.push(`${new Date(t).toISOString().slice(0, 19)}Z,${cellA},${cellS},7${rng.next() < 0.3 ? '\r' : ''}`);
      size += lines.at(-1)!.length + 1;
      rows.push({ t, a, s, line: lines.length });
    }
    const { header, body } = scan(lines.join('\n') + '\n', ['time', 'number', 'text', 'skip']);
    expect(header.names).toEqual(['time', 'a', 'name', 'b']);
    expect(body.rows).toBe(rows.length);
    const a = body.numbers.get(1)!;
    const names = body.texts.get(2)!;
    const wrong = rows.filter((r, i) => body.time[i] !== r.t || a[i] !== r.a || names[i] !== r.s);
    expect(wrong).toEqual([]);
    expect(body.numbers.has(3)).toBe(false);
    for (let i = 0; i < rows.length; i += 997) expect(body.lineOf(i)).toBe(rows[i]!.line);
    expect(body.lineOf(rows.length - 1)).toBe(rows.at(-1)!.line);
  });

  it('grows its buffer for a line longer than a piece, and reads a last line without a newline', () => {
    const long = 'y'.repeat(3 * 2 ** 20);
    const { body } = scan(`date,close,note\n2001-01-02,1.5,${long}\n2001-01-03,2.5,z`, ['time', 'number', 'text']);
    expect(Array.from(body.numbers.get(1)!)).toEqual([1.5, 2.5]);
    expect(body.texts.get(2)![0]!.length).toBe(long.length);
    expect(body.texts.get(2)![1]).toBe('z');
  });

  it('names the line of a broken quote, a ragged row and a bad number', () => {
    expect(() => scan('date,close\n2001-01-02,1\n2001-01-03,"2\n', ['time', 'number'])).toThrow(/line 3: a quoted cell does not end on its line/);
    expect(() => scan('date,close\n2001-01-02,1\n\n2001-01-03,2,3\n', ['time', 'number'])).toThrow(/line 4: 3 cells, but the header has 2/);
    expect(message(() => scan('date,close\n2001-01-02,1\n2001-01-03,0x1F\n', ['time', 'number']))).toMatch(/close = "0x1F": line 3: not a finite number/);
  });
});

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return formatError(e);
  }
  return '';
}
