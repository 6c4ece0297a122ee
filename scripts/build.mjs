// @ts-check
// `npm run build`: builds the front end into build/ and compiles the server into dist/server/. With --if-stale
// (`npm start` and `npm test` run it first), it builds only what is missing or older than its sources, the front end
// quietly, so that a fresh clone needs no build step of its own and an up-to-date one starts at once. With
// --server-only (`npm run db:migrate`), only the server.
import { buildFrontEnd, buildFrontEndIfStale, buildServer, buildServerIfStale } from './build-steps.mjs';

const ifStale = process.argv.includes('--if-stale');
const serverOnly = process.argv.includes('--server-only');
try {
  if (!serverOnly) {
    if (ifStale) buildFrontEndIfStale();
    else buildFrontEnd({ quiet: false });
  }
  await (ifStale ? buildServerIfStale() : buildServer());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
