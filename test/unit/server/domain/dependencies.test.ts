import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  criticalChain,
  cycleThrough,
  downstreamOf,
  forecastAt,
  inheritedRisks,
  lateDependencies,
  upstreamOf,
  type Edge,
} from '../../../../server/domain/dependencies.ts';

const dep = (dependentId: string, dependencyId: string): Edge => ({ dependentId, dependencyId });
const sorted = (ids: Set<string>) => [...ids].sort();

// it → scanners → hardware; finance → scanners; a diamond: top → left, top → right, left → base, right → base.
const chainAndDiamond = [
  dep('it', 'scanners'),
  dep('scanners', 'hardware'),
  dep('finance', 'scanners'),
  dep('top', 'left'),
  dep('top', 'right'),
  dep('left', 'base'),
  dep('right', 'base'),
];

describe('impact and blockers', () => {
  it('finds everything downstream of a slip through chains and diamonds, once each', () => {
    expect(sorted(downstreamOf(chainAndDiamond, 'hardware'))).toEqual(['finance', 'it', 'scanners']);
    expect(sorted(downstreamOf(chainAndDiamond, 'base'))).toEqual(['left', 'right', 'top']);
    expect(sorted(downstreamOf(chainAndDiamond, 'it'))).toEqual([]);
  });

  it('finds every upstream blocker', () => {
    expect(sorted(upstreamOf(chainAndDiamond, 'it'))).toEqual(['hardware', 'scanners']);
    expect(sorted(upstreamOf(chainAndDiamond, 'top'))).toEqual(['base', 'left', 'right']);
  });

  it('makes downstream and upstream mirror each other on random graphs', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 12 }), (pairs) => {
        const edges = pairs.filter(([a, b]) => a !== b).map(([a, b]) => dep(a, b));
        for (const x of ids)
          for (const y of ids) expect(downstreamOf(edges, x).has(y)).toBe(upstreamOf(edges, y).has(x));
      }),
    );
  });
});

describe('cycles', () => {
  it('names the cycle a new dependency would close', () => {
    expect(cycleThrough(chainAndDiamond, dep('hardware', 'it'))).toEqual(['hardware', 'it', 'scanners', 'hardware']);
    expect(cycleThrough(chainAndDiamond, dep('base', 'top'))?.at(0)).toBe('base');
    expect(cycleThrough(chainAndDiamond, dep('base', 'top'))?.at(-1)).toBe('base');
    expect(cycleThrough(chainAndDiamond, dep('x', 'x'))).toEqual(['x', 'x']);
  });

  it('accepts edges that keep the graph acyclic, including a second path in a diamond', () => {
    expect(cycleThrough(chainAndDiamond, dep('top', 'base'))).toBeNull();
    expect(cycleThrough(chainAndDiamond, dep('it', 'hardware'))).toBeNull();
    expect(cycleThrough([], dep('a', 'b'))).toBeNull();
  });

  it('returns a real cycle whenever it refuses, on random graphs built edge by edge', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 20 }), (pairs) => {
        const edges: Edge[] = [];
        for (const [a, b] of pairs) {
          const cycle = cycleThrough(edges, dep(a, b));
          if (!cycle) {
            edges.push(dep(a, b));
            continue;
          }
          // Every step of the named cycle is an existing edge or the new one, and it ends where it starts.
          expect(cycle[0]).toBe(a);
          expect(cycle.at(-1)).toBe(a);
          for (let i = 0; i + 1 < cycle.length; i++) {
            const step = dep(cycle[i]!, cycle[i + 1]!);
            const known =
              (step.dependentId === a && step.dependencyId === b) ||
              edges.some((e) => e.dependentId === step.dependentId && e.dependencyId === step.dependencyId);
            expect(known).toBe(true);
          }
        }
        // What was accepted has no cycle: nothing is its own upstream.
        for (const id of ids) expect(upstreamOf(edges, id).has(id)).toBe(false);
      }),
    );
  });
});

describe('schedules', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  const target = new Date('2026-11-01T00:00:00Z');

  it('pushes a forecast out by the slip share of the planned duration', () => {
    expect(forecastAt({ startAt: start, targetAt: target, slip: null })).toEqual(target);
    expect(forecastAt({ startAt: start, targetAt: target, slip: -0.1 })).toEqual(target);
    const late = forecastAt({ startAt: start, targetAt: target, slip: 0.18 })!;
    expect((late.getTime() - target.getTime()) / (target.getTime() - start.getTime())).toBeCloseTo(0.18, 6);
    expect(forecastAt({ startAt: start, targetAt: null, slip: 0.5 })).toBeNull();
  });

  it('flags dependencies needed before their upstream is forecast to finish, worst first', () => {
    const forecasts = new Map<string, Date | null>([
      ['scanners', new Date('2026-12-20T00:00:00Z')],
      ['hardware', new Date('2026-10-01T00:00:00Z')],
    ]);
    const late = lateDependencies(
      [
        { id: 'e1', ...dep('it', 'scanners'), neededBy: new Date('2026-12-01T00:00:00Z') },
        { id: 'e2', ...dep('finance', 'scanners'), neededBy: new Date('2026-11-01T00:00:00Z') },
        { id: 'e3', ...dep('scanners', 'hardware'), neededBy: new Date('2026-11-01T00:00:00Z') },
        { id: 'e4', ...dep('x', 'scanners'), neededBy: null },
      ],
      forecasts,
    );
    expect(late.map((entry) => [entry.id, entry.daysLate])).toEqual([
      ['e2', 49],
      ['e1', 19],
    ]);
  });

  it('follows the chain that decides when a key result can be reached', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
    const forecasts = new Map<string, Date | null>([
      ['it', day(100)],
      ['scanners', day(150)],
      ['hardware', day(120)],
      ['finance', day(90)],
      ['quick', day(10)],
    ]);
    const edges = [...chainAndDiamond, dep('it', 'quick')];
    // it waits for scanners (day 150), which waits for hardware (day 120, earlier than scanners itself).
    expect(criticalChain(edges, ['it', 'finance'], forecasts)).toEqual(['scanners', 'it']);
    forecasts.set('hardware', day(200));
    expect(criticalChain(edges, ['it', 'finance'], forecasts)).toEqual(['hardware', 'scanners', 'it']);
    expect(criticalChain(edges, [], forecasts)).toEqual([]);
    // Upstream work with no dates at all cannot be ruled out: it stays in the chain.
    expect(criticalChain([dep('fuel', 'api'), dep('api', 'scanners')], ['fuel'], new Map([['fuel', day(50)]]))).toEqual(
      ['scanners', 'api', 'fuel'],
    );
  });
});

describe('inherited risk', () => {
  // dispatch → scanners → hardware → supplier ("depends on"): a chain of four.
  const chain = [dep('dispatch', 'scanners'), dep('scanners', 'hardware'), dep('hardware', 'supplier')];

  it('runs the whole chain downstream, with the path that carries it', () => {
    const risks = inheritedRisks(chain, new Map([['supplier', 'off track']]));
    expect(Object.fromEntries(risks)).toEqual({
      hardware: { status: 'off track', path: ['supplier', 'hardware'] },
      scanners: { status: 'off track', path: ['supplier', 'hardware', 'scanners'] },
      dispatch: { status: 'off track', path: ['supplier', 'hardware', 'scanners', 'dispatch'] },
    });
  });

  it('prefers off track to at risk, then the shorter chain; nothing upstream, nothing inherited', () => {
    const risks = inheritedRisks(
      [...chain, dep('dispatch', 'routing')],
      new Map([
        ['routing', 'at risk'],
        ['supplier', 'off track'],
        ['hardware', 'on track'],
      ]),
    );
    expect(risks.get('dispatch')).toEqual({
      status: 'off track',
      path: ['supplier', 'hardware', 'scanners', 'dispatch'],
    });
    expect(risks.has('supplier')).toBe(false);
    expect(risks.has('routing')).toBe(false);
    const nearer = inheritedRisks([...chain, dep('dispatch', 'hardware')], new Map([['supplier', 'off track']]));
    expect(nearer.get('dispatch')!.path).toEqual(['supplier', 'hardware', 'dispatch']);
  });

  it('agrees with a search from every initiative upstream (property, cycles included)', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const severity = { 'off track': 2, 'at risk': 1 } as Record<string, number>;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 14 }),
        fc.array(fc.constantFrom('off track', 'at risk', 'on track', 'no data'), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
        (pairs, statuses) => {
          const edges = pairs.filter(([x, y]) => x !== y).map(([x, y]) => dep(x, y));
          const statusOf = new Map(ids.map((id, index) => [id, statuses[index]!]));
          const risks = inheritedRisks(edges, statusOf);
          for (const id of ids) {
            // Naive: the worst status strictly upstream, and the fewest edges to an initiative with it.
            const distance = new Map<string, number>([[id, 0]]);
            const queue = [id];
            while (queue.length) {
              const current = queue.shift()!;
              for (const edge of edges)
                if (edge.dependentId === current && !distance.has(edge.dependencyId)) {
                  distance.set(edge.dependencyId, distance.get(current)! + 1);
                  queue.push(edge.dependencyId);
                }
            }
            const sources = [...distance].filter(([other]) => other !== id && severity[statusOf.get(other)!]);
            const worst = Math.max(0, ...sources.map(([other]) => severity[statusOf.get(other)!]!));
            const risk = risks.get(id);
            if (worst === 0) {
              expect(risk).toBeUndefined();
              continue;
            }
            expect(severity[risk!.status]).toBe(worst);
            const nearest = Math.min(
              ...sources.filter(([other]) => severity[statusOf.get(other)!] === worst).map(([, d]) => d),
            );
            expect(risk!.path.length - 1).toBe(nearest);
            expect(risk!.path.at(-1)).toBe(id);
            expect(statusOf.get(risk!.path[0]!)).toBe(risk!.status);
            // Every step of the path is a dependency edge.
            for (let i = 1; i < risk!.path.length; i++)
              expect(edges.some((e) => e.dependentId === risk!.path[i] && e.dependencyId === risk!.path[i - 1])).toBe(
                true,
              );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
