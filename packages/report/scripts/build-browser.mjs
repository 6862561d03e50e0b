// Build step of @regimen/report (after tsc): bundles browser/ with its chart libraries into
// dist/browser/main.{js,css}, which src/bundle.ts inlines into every report page.
import { writeBrowserBundle } from '../dist/bundle.js';

const dir = await writeBrowserBundle();
process.stdout.write(`browser bundle written to ${dir}\n`);
