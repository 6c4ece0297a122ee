// The API's table of who may change what (server/domain/authorization.ts): what each rule lets each kind of person
// do, the rules behind the dependency and action item lines, and the README's copy of the table.
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
import { readmeSection, tableRows } from '../../../support/readme-table.ts';

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
    const listed = readmeSection('api-permission-table');
    expect(listed).not.toBeNull();
    expect(tableRows(listed!)).toEqual(tableRows(renderApiPermissionTable()));
  });
});
