import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { regimenError } from '@regimen/core';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium (DESIGN §3); REGIMEN_CHROMIUM points elsewhere. A browser is never downloaded. */
export const CHROMIUM_PATH = process.env.REGIMEN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium driven by playwright-core (loaded only when called: the report itself needs
 * no browser). Playwright gives every launch a fresh temporary profile (its own --user-data-dir);
 * the flags keep the browser from reaching out on its own (updates, sync, QUIC, first-run pages).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw regimenError({ code: 'usage', file: CHROMIUM_PATH, message: 'Chromium is not installed (apt-get install -y chromium), or set REGIMEN_CHROMIUM' });
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      // the sandbox cannot start as root (CI and these machines run as root)
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedReport {
  page: Page;
  /** console messages of type error, and uncaught page errors */
  errors: string[];
  /** every request the page made other than the report file itself */
  requests: string[];
  /** ms from navigation start to every section drawn (html[data-ready]) */
  readyMs: number;
  /**
   * ms the page's main thread was busy until then (Chromium's TaskDuration): on a machine shared
   * with other work, wall time says how busy the machine was, this says what the page costs
   */
  mainThreadMs: number;
}

/** Opens a report file in a new page and waits until every section is drawn. */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  const readyMs = await page.evaluate(() => performance.now());
  const { metrics } = await cdp.send('Performance.getMetrics');
  const mainThreadMs = 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
  return { page, errors, requests, readyMs, mainThreadMs };
}
