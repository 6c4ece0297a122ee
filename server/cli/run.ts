// Shared by the start and dev entry points: start the server, print where it is, stop cleanly on signals.
import { ConfigError, loadConfig } from '../config.ts';
import { startServer } from '../main.ts';
import { describeDemo } from './demo-banner.ts';

export async function run(options: { staticDir?: string } = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config, { staticDir: options.staticDir, onStatus: (m) => console.log(m) }).catch(
    (error: unknown) => {
      console.error(`Lastmile could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );

  // The banner is the last thing printed at the default LOG_LEVEL (requests log at debug), so the URL and the demo
  // logins stay on screen.
  console.log(`\nDatabase: ${server.databaseDescription}`);
  console.log(`Lastmile is running at ${server.url}`);
  for (const line of describeDemo(config, server.seed)) console.log(line);
  console.log('Press Ctrl+C to stop.\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: stopping…`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
