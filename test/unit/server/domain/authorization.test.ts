// The API's table of who may change what (server/domain/authorization.ts): what each rule lets each kind of person
// do, the rules behind the dependency and action item lines, and the README's copy of the table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mayChangeActionItem } from '../../../../server/domain/action-items.ts';
import {
  ACTORS,
  API_PERMISSIONS,
  allows,
  permission,
  renderApiPermissionTable,
} from '../../../../server/domain/authorization.ts';
import { mayAlterDependency, PORTFOLIO_RULES } from '../../../../server/domain/ownership.ts';

describe('API permissions', () => {
  it('gives each rule to exactly the people it names', () => {
    const allowed = (who: Parameters<typeof allows>[0]) => ACTORS.filter((actor) => allows(who, actor));
    expect(allowed('anyone')).toEqual([...ACTORS]);
    expect(allowed('member')).toEqual(['admin', 'facilitator', 'owner', 'member', 'viewer']);
    expect(allowed('participant')).toEqual(['admin', 'facilitator', 'owner', 'member']);
    expect(allowed('owner')).toEqual(['admin', 'owner']);
    expect(allowed('owner or facilitator')).toEqual(['admin', 'facilitator', 'owner']);
    expect(allowed('facilitator')).toEqual(['admin', 'facilitator']);
    expect(allowed('owner only')).toEqual(['owner']);
    expect(allowed('admin')).toEqual(['admin']);
  });

  it('states each resource and action once, and takes the portfolio lines from the ownership rule', () => {
    const keys = API_PERMISSIONS.map((line) => `${line.resource}: ${line.action}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(permission('initiative', 'change').who).toBe(PORTFOLIO_RULES.initiative.change);
    expect(permission('key result', 'add').who).toBe(PORTFOLIO_RULES['key result'].create);
    expect(() => permission('initiative', 'rename')).toThrow('No permission line');
  });

  it('lets the owners of either initiative, the people a dependency names, and admins alter it', () => {
    const people = ['olu', 'ada', 'requester', null];
    expect(mayAlterDependency({ userId: 'olu', organizationRole: 'member' }, people)).toBe(true);
    expect(mayAlterDependency({ userId: 'requester', organizationRole: 'member' }, people)).toBe(true);
    expect(mayAlterDependency({ userId: 'mo', organizationRole: 'member' }, people)).toBe(false);
    expect(mayAlterDependency({ userId: 'mo', organizationRole: 'admin' }, people)).toBe(true);
  });

  it('lets the owner, the facilitator of its review and admins change an action item', () => {
    const nobody = { isOwner: false, facilitatesItsReview: false, isAdmin: false };
    expect(mayChangeActionItem(nobody)).toBe(false);
    expect(mayChangeActionItem({ ...nobody, isOwner: true })).toBe(true);
    expect(mayChangeActionItem({ ...nobody, facilitatesItsReview: true })).toBe(true);
    expect(mayChangeActionItem({ ...nobody, isAdmin: true })).toBe(true);
  });

  it('is the table the README lists, row for row', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- api-permission-table:');
    const end = readme.indexOf('<!-- /api-permission-table -->');
    expect(start).toBeGreaterThan(0);
    // Prettier pads the README's cells; the content must be the same.
    const normalize = (markdown: string) =>
      markdown
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map((line) =>
          line
            .split('|')
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|'),
        );
    expect(normalize(readme.slice(readme.indexOf('\n', start), end))).toEqual(normalize(renderApiPermissionTable()));
  });
});
