import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '@regimen/core';
import { embeddedDataPath } from './embedded.js';
import { universeColumns } from './universe-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-universe-'));
const dow = embeddedDataPath('dowjones30_daily_close.csv');

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('universeColumns', () => {
  it('`all` is every column of the header but the time key, in the file\'s order', () => {
    const header = readFileSync(dow, 'utf8').split('\n')[0]!.split(',');
    const got = universeColumns(dow, 'all');
    expect(got.map((c) => c.column)).toEqual(header.slice(1));
    expect(got.every((c) => c.name === c.column)).toBe(true);
  });

  it('a list names columns, a map names the series', () => {
    expect(universeColumns(dow, ['MSFT', 'KO'])).toEqual([{ name: 'MSFT', column: 'MSFT' }, { name: 'KO', column: 'KO' }]);
    expect(universeColumns(dow, { microsoft: 'MSFT' })).toEqual([{ name: 'microsoft', column: 'MSFT' }]);
  });

  it('`all` leaves text columns out', () => {
    const p = file('mixed.csv', 'date,a,tag,b\n2020-01-01,1,x,2\n2020-01-02,1.5,y,2.5\n');
    expect(universeColumns(p, 'all').map((c) => c.column)).toEqual(['a', 'b']);
  });

  it('an unknown, a text or the time column is one error naming the file, field and value', () => {
    const p = file('tickers.csv', 'date,AA,note\n2020-01-01,1,up\n2020-01-02,2,down\n');
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return formatError(e);
      }
      throw new Error('no error');
    };
    const unknown = msg(() => universeColumns(p, ['AA', 'ZZ']));
    expect(unknown).toContain('tickers.csv');
    expect(unknown).toContain('columns');
    expect(unknown).toContain('ZZ');
    expect(unknown).toMatch(/no such column/);
    expect(unknown.split('\n')).toHaveLength(1);
    expect(msg(() => universeColumns(p, ['note']))).toMatch(/note.*not a numeric column/);
    expect(msg(() => universeColumns(p, ['date']))).toMatch(/time key/);
    expect(msg(() => universeColumns(file('text.csv', 'date,n\n2020-01-01,x\n'), 'all'))).toMatch(/no numeric column/);
  });
});
