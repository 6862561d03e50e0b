import { gzipSync } from 'node:zlib';
import type { PageData } from './model.js';
import { browserAssets } from './bundle.js';

/**
 * The policy forbids the page every fetch, frame, font and image from anywhere, so "no network
 * request" holds by construction, not only in the tests that check it.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One self-contained page: styles, script and data inline. The data is gzipped JSON in base64,
 * which the page inflates with the browser's own DecompressionStream: a 1M-bar run's trade list
 * would otherwise not fit the size budget. gzip writes no timestamp here, so the same workspace
 * gives the same bytes.
 */
export async function reportHtml(data: PageData): Promise<string> {
  const { js, css } = await browserAssets();
  const payload = gzipSync(Buffer.from(JSON.stringify(data)), { level: 9 }).toString('base64');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(data.generated_by)}">`,
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`,
    '</head>',
    '<body>',
    `<main id="report"><p class="loading">Loading the report… (it needs JavaScript; the numbers are also in the workspace's JSON files)</p></main>`,
    `<script type="application/octet-stream" id="regimen-data" data-encoding="gzip+base64">${payload}</script>`,
    `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
