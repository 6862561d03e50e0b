import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regimenError } from '@regimen/core';

/** The series a workflow uses when it names no data file (see embedded/README.md for provenance). */
export const EMBEDDED_DEFAULT = 'nyse_composite_daily_close.csv';

export const EMBEDDED_FILES = [EMBEDDED_DEFAULT, 'msft_daily_ohlcv.csv', 'dowjones30_daily_close.csv'] as const;

/**
 * Absolute path of an embedded file. Both `src/` (tests, `@regimen/source`) and `dist/` (the
 * build) sit one level below the package root, so `../embedded/` resolves from either.
 */
export function embeddedDataPath(name: string = EMBEDDED_DEFAULT): string {
  if (!(EMBEDDED_FILES as readonly string[]).includes(name)) {
    throw regimenError({ code: 'config', field: 'workflow.data.path', value: name, message: `no embedded data file of that name; embedded: ${EMBEDDED_FILES.join(', ')}` });
  }
  const path = fileURLToPath(new URL(`../embedded/${name}`, import.meta.url));
  if (!existsSync(path)) throw regimenError({ code: 'internal', file: path, message: 'embedded data file is missing from the installed @regimen/data package' });
  return path;
}
