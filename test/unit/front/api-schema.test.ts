// The committed API types (src/lib/api/schema.d.ts) match the server's current OpenAPI document.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateApiTypes, SCHEMA_FILE } from '../../../scripts/api-types.ts';

it('schema.d.ts is what `npm run api:types` generates from the server now', { timeout: 30_000 }, async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  const fresh = await generateApiTypes();
  expect(committed, 'src/lib/api/schema.d.ts is stale: run `npm run api:types` and commit it').toBe(fresh);
});
