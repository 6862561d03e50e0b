import type { PageData } from '../src/model.js';

/**
 * The page's data: gzipped JSON in base64 (src/page.ts), inflated by the browser's own
 * DecompressionStream (fflate was measured as no faster on a 1M-bar report, so no library).
 */
export async function readPageData(): Promise<PageData> {
  const el = document.getElementById('regimen-data');
  if (!el?.textContent) throw new Error('the page carries no data');
  const binary = atob(el.textContent.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  performance.mark('regimen:inflated');
  return JSON.parse(text) as PageData;
}
