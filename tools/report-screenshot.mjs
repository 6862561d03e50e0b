#!/usr/bin/env node
// The README's picture of a report: the top of a report page in headless Chromium, as a small JPEG.
//   npm run demo && node tools/report-screenshot.mjs results/experiment_001/report.html docs/report.jpg
import { launchChromium, openReport } from '@regimen/report';

const [file = 'results/experiment_001/report.html', out = 'docs/report.jpg', height = '1500'] = process.argv.slice(2);
const browser = await launchChromium();
try {
  const { page, errors } = await openReport(browser, file, { width: 1200, height: Number(height) });
  if (errors.length) throw new Error(`the page logged errors: ${errors.join('; ')}`);
  await page.screenshot({ path: out, type: 'jpeg', quality: 60 });
  process.stdout.write(`${out} written\n`);
} finally {
  await browser.close();
}
