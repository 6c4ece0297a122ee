// The start-up lines about the demo: seeded (with its logins, whose password is published), or why there is none.
import type { SeedResult } from '../../db/seed/demo.ts';
import type { Config } from '../config.ts';

export function describeDemo(config: Pick<Config, 'seedDemoExplicit'>, seed: SeedResult | undefined): string[] {
  // Not seeded by choice: SEED_DEMO=false, or SEED_DEMO unset with a DATABASE_URL (which may be production).
  if (!seed) {
    return [
      config.seedDemoExplicit ? 'no demo: SEED_DEMO=false' : 'no demo: DATABASE_URL is set; SEED_DEMO=true seeds it',
    ];
  }
  if (seed.logins.length === 0) {
    return ['no demo: the database already has accounts (the demo goes only into an empty database)'];
  }
  return [
    seed.seeded ? 'demo seeded: logins' : 'demo already seeded: logins',
    ...seed.logins.map((login) => `  ${login.email.padEnd(32)} ${login.password}   (${login.name}, ${login.title})`),
  ];
}
