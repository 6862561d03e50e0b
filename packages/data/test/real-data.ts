import { fileURLToPath } from 'node:url';

// The real test series of @regimen/plugin-testkit by location: its realDataPath is out of reach here,
// because the kit depends on this package (the embedded series come from embeddedDataPath).
export const TEST_DATA_DIR = fileURLToPath(new URL('../../plugin-testkit/data/', import.meta.url));
