// A large organization for the map benchmark: initiatives spread over teams, and dependencies that always
// point to an earlier initiative (so the graph is acyclic, like a real one must be). Deterministic.
import { hashPassword } from '../../server/auth/password.ts';
import type { Sql } from '../../server/db/connect.ts';
import { insertDependency } from '../../server/store/dependencies.ts';
import { insertInitiative } from '../../server/store/initiatives.ts';
import { insertOrganization } from '../../server/store/organizations.ts';
import { insertUser } from '../../server/store/users.ts';

export const BENCH_PASSWORD = 'bench-password-1';

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function seedLargeMap(
  sql: Sql,
  size: { initiatives: number; dependencies: number; teams: number },
): Promise<{ email: string; organizationId: string }> {
  const email = `bench.${Date.now()}@example.com`;
  const user = (await insertUser(sql, {
    email,
    name: 'Bench Owner',
    passwordHash: await hashPassword(BENCH_PASSWORD),
  }))!;
  const org = await insertOrganization(sql, { name: `Bench ${size.initiatives}`, createdBy: user.id });
  const next = random(2026);
  const start = new Date('2026-01-01T00:00:00Z');
  const ids: string[] = [];
  await sql.begin(async (tx) => {
    for (let i = 0; i < size.initiatives; i++) {
      const planned = next() < 0.5 ? Math.round(next() * 2_000_000) : null;
      ids.push(
        await insertInitiative(tx, org.id, {
          title: `Initiative ${i + 1}`,
          description: '',
          ownerId: user.id,
          team: `Team ${(i % size.teams) + 1}`,
          keyResultId: null,
          plannedValue: planned,
          realizedValue: planned === null ? null : Math.round(planned * next() * 0.9),
          currency: planned === null ? null : 'EUR',
          startAt: planned === null ? null : start,
          targetAt: planned === null ? null : new Date(start.getTime() + (200 + next() * 300) * 86_400_000),
          links: [],
        }),
      );
    }
    let made = 0;
    while (made < size.dependencies) {
      const a = 1 + Math.floor(next() * (ids.length - 1));
      // Mostly local dependencies (within ~50 initiatives), some far: what real portfolios look like.
      const span = next() < 0.8 ? Math.min(a, 50) : a;
      const b = a - 1 - Math.floor(next() * span);
      const created = await insertDependency(
        tx,
        org.id,
        {
          dependentId: ids[a]!,
          dependencyId: ids[b]!,
          note: '',
          neededBy: null,
          requesterId: user.id,
          providerId: user.id,
        },
        user.id,
      );
      if (created) made += 1;
    }
  });
  return { email, organizationId: org.id };
}
