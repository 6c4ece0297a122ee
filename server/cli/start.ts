// `npm start`: build the front end if the build is missing or older than its sources, then run the server.
import { buildFrontEndIfStale } from './build.ts';
import { run } from './run.ts';

buildFrontEndIfStale();
await run();
