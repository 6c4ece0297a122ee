import { describe, expect, it } from 'vitest';
import { mayAlter, PORTFOLIO_RESOURCES, PORTFOLIO_RULES, refusal } from '../../../../server/domain/ownership.ts';

const admin = { userId: 'ada', organizationRole: 'admin' as const };
const owner = { userId: 'olu', organizationRole: 'member' as const };
const other = { userId: 'mo', organizationRole: 'member' as const };

describe('the portfolio ownership table', () => {
  it('lets anyone add, the owner or an admin change and remove (key results: the objective’s owner)', () => {
    for (const resource of PORTFOLIO_RESOURCES)
      for (const action of ['create', 'change', 'remove'] as const) {
        expect(mayAlter(resource, action, admin, 'olu')).toBe(true);
        expect(mayAlter(resource, action, owner, 'olu')).toBe(true);
        const anyone = PORTFOLIO_RULES[resource][action] === 'member';
        expect(mayAlter(resource, action, other, 'olu')).toBe(anyone);
        expect(anyone).toBe(action === 'create' && resource !== 'key result');
        expect(mayAlter(resource, action, owner, null)).toBe(anyone);
      }
  });

  it('says who may, in words', () => {
    expect(refusal('metric', 'change')).toBe('Only the owner of this metric or an admin can change it');
    expect(refusal('initiative', 'remove')).toBe(
      'Only the accountable owner of this initiative or an admin can remove it',
    );
  });
});
