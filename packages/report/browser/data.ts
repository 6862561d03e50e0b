import type { PageData } from '../src/model.js';

/** The page's data: gzipped JSON in base64 (src/page.ts), inflated by the browser's own DecompressionStream. */
export async function readPageData(): Promise<PageData> {
  const el = document.getElementById('regimen-data');
  if (!el?.textContent) throw new Error('the page carries no data');
  const bytes = Uint8Array.from(atob(el.textContent.trim()), (c) => c.charCodeAt(0));
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as PageData;
}
