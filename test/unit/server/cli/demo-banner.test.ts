import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../../db/seed/demo.ts';
import { describeDemo } from '../../../../server/cli/demo-banner.ts';
import { loadConfig } from '../../../../server/config.ts';

const logins = [{ email: 'vp.ops@northwind.example', name: 'Maya Okafor', title: 'VP', password: DEMO_PASSWORD }];
const production = 'postgres://app@db.example.com/lastmile';

describe('the demo at start-up', () => {
  it('is seeded on the embedded database when SEED_DEMO is unset', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: '' }).seedDemo).toBe(true);
  });

  it('is not seeded into a DATABASE_URL unless SEED_DEMO=true asks for it', () => {
    expect(loadConfig({ DATABASE_URL: production }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: production, SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('says why there is no demo', () => {
    expect(describeDemo(loadConfig({ DATABASE_URL: production }), undefined)).toEqual([
      'no demo: DATABASE_URL is set; SEED_DEMO=true seeds it',
    ]);
    expect(describeDemo(loadConfig({ SEED_DEMO: 'false' }), undefined)).toEqual(['no demo: SEED_DEMO=false']);
    expect(describeDemo(loadConfig({}), { seeded: false, logins: [] })).toEqual([
      'no demo: the database already has accounts (the demo goes only into an empty database)',
    ]);
  });

  it('lists the logins when the demo is there', () => {
    const [first, second] = describeDemo(loadConfig({}), { seeded: true, logins });
    expect(first).toBe('demo seeded: logins');
    expect(second).toMatch(/^ {2}vp\.ops@northwind\.example\s+lastmile-demo\s+\(Maya Okafor, VP\)$/);
    expect(describeDemo(loadConfig({}), { seeded: false, logins })[0]).toBe('demo already seeded: logins');
  });
});
