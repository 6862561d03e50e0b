import { regimenError } from '@regimen/core';
import { openMarketFile, type LoadOptions } from './market-data.js';
import { findColumn } from './series.js';

/** A universe's series in one file: its name and the price column it is read from. */
export interface UniverseColumn {
  name: string;
  column: string;
}

/**
 * The price columns a universe names in one file, resolved from its header (and, for the type of
 * a CSV column, its first row) before any row is read: `all` is every numeric column but the time
 * key; a list names columns (each series named by its column as the file spells it); a map names
 * each series' column. A column the file lacks or that is not numeric is one error naming the file.
 */
export function universeColumns(path: string, spec: 'all' | readonly string[] | Readonly<Record<string, string>>, opts: Omit<LoadOptions, 'price' | 'column'> = {}): UniverseColumn[] {
  const src = openMarketFile(path, opts);
  const types = src.types();
  if (spec === 'all') {
    const numeric = src.columns.filter((c) => types.get(c) === 'number');
    if (numeric.length === 0) {
      throw regimenError({ code: 'data', file: src.file, field: 'columns', value: 'all', message: `no numeric column besides the time key ${src.timeName} (columns: ${src.columns.join(', ') || 'none'})` });
    }
    return numeric.map((c) => ({ name: c, column: c }));
  }
  const wanted: Array<[string | undefined, string]> = Array.isArray(spec) ? spec.map((c) => [undefined, c]) : Object.entries(spec);
  return wanted.map(([name, want]) => {
    const column = findColumn(src.columns, want);
    if (!column) {
      const why = want === src.timeName ? 'it is the time key' : `no such column; columns available: ${src.columns.join(', ') || '(none)'}`;
      throw regimenError({ code: 'data', file: src.file, field: 'columns', value: want, message: why });
    }
    if (types.get(column) !== 'number') {
      throw regimenError({ code: 'data', file: src.file, field: 'columns', value: want, message: `not a numeric column (${src.format === 'csv' ? 'its first row is text' : 'the file declares it text'})` });
    }
    return { name: name ?? column, column };
  });
}
