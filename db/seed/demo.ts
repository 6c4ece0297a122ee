// The demo organization a newcomer explores: a logistics firm cutting last-mile delivery time by 20%.
// Later issues add its dependencies and reviews.
import { hashPassword } from '../../server/auth/password.ts';
import type { Sql } from '../../server/db/connect.ts';
import { countUsers } from '../../server/store/databases.ts';
import { addMember, insertOrganization } from '../../server/store/organizations.ts';
import { findUserByEmail, insertUser, type User } from '../../server/store/users.ts';
import { seedDemoPortfolio } from './demo-portfolio.ts';
import { seedDemoReview } from './demo-review.ts';

export const DEMO_PASSWORD = 'lastmile-demo';
export const DEMO_ORGANIZATION = 'Northwind Freight';

export const DEMO_PEOPLE = [
  { email: 'vp.ops@northwind.example', name: 'Maya Okafor', title: 'VP of Operations', role: 'admin' },
  { email: 'it.lead@northwind.example', name: 'Jonas Lindqvist', title: 'Head of IT', role: 'member' },
  { email: 'north.region@northwind.example', name: 'Priya Raman', title: 'Regional Manager North', role: 'member' },
  { email: 'south.region@northwind.example', name: 'Diego Alvarez', title: 'Regional Manager South', role: 'member' },
  { email: 'finance@northwind.example', name: 'Sofia Brandt', title: 'Head of Finance', role: 'member' },
] as const;

export interface SeedResult {
  seeded: boolean;
  /** The live demo review, when this call seeded it. */
  reviewId?: string;
  /** The demo accounts, when the database has them (seeded now or before); empty otherwise. */
  logins: { email: string; name: string; title: string; password: string }[];
}

/** Seeds the demo organization into an empty database; leaves a database with any user alone. */
export async function seedDemo(sql: Sql, now: Date = new Date()): Promise<SeedResult> {
  const logins = DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name, title: p.title, password: DEMO_PASSWORD }));
  if ((await countUsers(sql)) > 0) {
    const hasDemo = (await findUserByEmail(sql, DEMO_PEOPLE[0].email)) !== undefined;
    return { seeded: false, logins: hasDemo ? logins : [] };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const reviewId = await sql.begin(async (tx) => {
    const users: User[] = [];
    for (const person of DEMO_PEOPLE) {
      const user = await insertUser(tx, { email: person.email, name: person.name, passwordHash });
      if (user) users.push(user);
    }
    const [owner, ...others] = users;
    const org = await insertOrganization(tx, { name: DEMO_ORGANIZATION, createdBy: owner!.id });
    for (const [index, user] of others.entries()) {
      await addMember(tx, org.id, user.id, DEMO_PEOPLE[index + 1]!.role);
    }
    const [vp, it, north, south, finance] = users.map((user) => user.id) as [string, string, string, string, string];
    const people = { vp, it, north, south, finance };
    const scope = await seedDemoPortfolio(tx, org.id, people, now);
    return seedDemoReview(tx, org.id, people, scope, now);
  });
  return { seeded: true, logins, reviewId };
}
