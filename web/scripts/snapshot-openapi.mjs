// Refreshes lib/generated/openapi.json from the real server: SOUNDLENS_URL when
// one runs, else SOUNDLENS_BIN started on a free port (as in the e2e test).
// Then run `npm run api-types` (the build does) and commit both files.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { startService } from '../e2e/service.mjs';

const outFile = join(resolve(import.meta.dirname, '..'), 'lib', 'generated', 'openapi.json');
const service = await startService({ needWeb: false });
try {
  const response = await fetch(`${service.url}/openapi.json`);
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
  const spec = await response.json();
  writeFileSync(outFile, JSON.stringify(spec, null, 2) + '\n');
  console.log(`wrote ${Object.keys(spec.paths ?? {}).length} paths to ${outFile}`);
} finally {
  await service.stop();
}
