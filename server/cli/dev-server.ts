// `npm run dev`: the API and sync server without the built front end; Vite serves the pages on
// :5173 and proxies /api and /sync here, so that is the public URL and the allowed origin.
import { run } from './run.ts';

process.env.PUBLIC_URL ||= 'http://localhost:5173';
await run({ staticDir: '' });
