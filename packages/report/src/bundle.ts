import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { regimenError } from '@regimen/core';

/** The page's script and styles: browser/ bundled with the chart libraries (uPlot, Observable Plot). */
export interface BrowserAssets {
  js: string;
  css: string;
}

// from src/ and from dist/ alike, the package's own folders
const ENTRY = fileURLToPath(new URL('../browser/main.ts', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/browser/', import.meta.url));

/** esbuild, at build time (`npm run build`), or on demand when running from TypeScript sources. */
export async function bundleBrowser(): Promise<BrowserAssets> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    outdir: 'report',
    write: false,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw regimenError({ code: 'internal', file: ENTRY, message: 'the browser bundle has no script or no styles' });
  return { js: js.text, css: css.text };
}

/** Writes dist/browser/main.js and main.css (the package's build step). */
export async function writeBrowserBundle(): Promise<string> {
  const a = await bundleBrowser();
  mkdirSync(BUILT, { recursive: true });
  writeFileSync(join(BUILT, 'main.js'), a.js);
  writeFileSync(join(BUILT, 'main.css'), a.css);
  return BUILT;
}

let cached: Promise<BrowserAssets> | undefined;

/**
 * The built bundle when running from dist/; bundled afresh (once per process) when running from
 * TypeScript sources — tests and tools/regimen-dev.mjs — so a page never lags the code.
 */
export function browserAssets(): Promise<BrowserAssets> {
  if (cached) return cached;
  if (import.meta.url.endsWith('.ts')) return (cached = bundleBrowser());
  const js = join(BUILT, 'main.js');
  const css = join(BUILT, 'main.css');
  if (!existsSync(js) || !existsSync(css)) throw regimenError({ code: 'internal', file: js, message: 'the report\'s browser bundle is missing: run `npm run build`' });
  return (cached = Promise.resolve({ js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') }));
}
