// `npm start`: the server with the built front end. Runs compiled (dist/server/start.js, from `npm run build`) with
// plain Node; `npm start` first builds whatever is missing or stale (scripts/build.mjs --if-stale).
import { run } from './run.ts';

await run();
