import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_FILES, embeddedDataPath } from '@regimen/data';
import { regimenError } from '@regimen/core';

/**
 * Real reference series shipped with this kit for tests (provenance in data/README.md). Both
 * `src/` and `dist/` sit one level below the package root, so `../data/` resolves from either.
 */
export const TEST_DATA_FILES = [
  'usdchf_30min.csv',
  'swx_daily_close.csv',
  'smallcap_monthly_index.csv',
  'usdthb_ticks.csv',
  'ttrc_SYNTHETIC_daily_ohlcv.csv',
] as const;

export type RealDataFile = (typeof EMBEDDED_FILES)[number] | (typeof TEST_DATA_FILES)[number];

/**
 * Absolute path of a real data file by name: the series embedded in @regimen/data, or one of this
 * kit's test series. Tests name the file, never a location, so they run wherever the repository is.
 */
export function realDataPath(name: RealDataFile): string {
  if ((EMBEDDED_FILES as readonly string[]).includes(name)) return embeddedDataPath(name);
  if (!(TEST_DATA_FILES as readonly string[]).includes(name)) {
    throw regimenError({ code: 'config', field: 'name', value: name, message: `no real data file of that name; known: ${[...EMBEDDED_FILES, ...TEST_DATA_FILES].join(', ')}` });
  }
  const path = fileURLToPath(new URL(`../data/${name}`, import.meta.url));
  if (!existsSync(path)) throw regimenError({ code: 'internal', file: path, message: 'test data file is missing from the installed @regimen/plugin-testkit package' });
  return path;
}
