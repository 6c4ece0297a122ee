// `npm run dev`: the API and sync server without the built front end (Vite serves it and proxies here).
import { run } from './run.ts';

await run({ staticDir: '' });
