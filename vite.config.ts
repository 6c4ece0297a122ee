// Vite serves the SvelteKit front end in development and proxies the API and the sync websocket
// to the Hono server (npm run dev starts both).
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const serverPort = Number(process.env.PORT ?? 3000);
const target = `http://127.0.0.1:${serverPort}`;

export default defineConfig({
  plugins: [tailwindcss(), sveltekit()],
  // The SvelteKit build is slow enough on two cores that Rolldown would print plugin timings every time.
  build: { rolldownOptions: { checks: { bundlerTimings: false } } },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target },
      '/healthz': { target },
      '/sync': { target, ws: true },
    },
  },
});
