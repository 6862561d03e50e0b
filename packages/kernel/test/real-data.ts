import { fileURLToPath } from 'node:url';

// The repository's real series by location: the kernel's tests cannot use @regimen/plugin-testkit's
// realDataPath (the kit depends on the kernel) nor @regimen/data's embeddedDataPath (the kernel does not).
export const TEST_DATA_DIR = fileURLToPath(new URL('../../plugin-testkit/data/', import.meta.url));
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../data/embedded/', import.meta.url));
