// Who may change what in the portfolio: one rule per resource and action, stated once. The API enforces it; the
// front end reads the same table to hide what the server would refuse.

export type OrganizationRole = 'admin' | 'member';

/** `member`: anyone in the organization; `owner`: the accountable owner or an admin; `admin`: admins only. */
export type Rule = 'member' | 'owner' | 'admin';

export const PORTFOLIO_RESOURCES = ['objective', 'key result', 'initiative', 'metric'] as const;
export type PortfolioResource = (typeof PORTFOLIO_RESOURCES)[number];
export type PortfolioAction = 'create' | 'change' | 'remove';

/**
 * Anyone may add to the portfolio (they name an owner); only the accountable owner or an admin changes or removes
 * it. A key result belongs to its objective's owner.
 */
export const PORTFOLIO_RULES: Record<PortfolioResource, Record<PortfolioAction, Rule>> = {
  objective: { create: 'member', change: 'owner', remove: 'owner' },
  'key result': { create: 'owner', change: 'owner', remove: 'owner' },
  initiative: { create: 'member', change: 'owner', remove: 'owner' },
  metric: { create: 'member', change: 'owner', remove: 'owner' },
};

export interface Actor {
  userId: string;
  organizationRole: OrganizationRole;
}

/** Whether `actor` may do `action` on a resource owned by `ownerId` (the objective's owner for key results). */
export function mayAlter(
  resource: PortfolioResource,
  action: PortfolioAction,
  actor: Actor,
  ownerId: string | null,
): boolean {
  const rule = PORTFOLIO_RULES[resource][action];
  if (actor.organizationRole === 'admin') return true;
  if (rule === 'member') return true;
  if (rule === 'owner') return ownerId !== null && ownerId === actor.userId;
  return false;
}

const WHOSE: Record<PortfolioResource, string> = {
  objective: 'the owner of this objective',
  'key result': 'the owner of its objective',
  initiative: 'the accountable owner of this initiative',
  metric: 'the owner of this metric',
};

/** The refusal a person sees: "Only the accountable owner of this initiative or an admin can change it". */
export function refusal(resource: PortfolioResource, action: PortfolioAction): string {
  const verb = action === 'remove' ? 'remove' : action === 'create' ? 'add' : 'change';
  return PORTFOLIO_RULES[resource][action] === 'admin'
    ? `Only an admin can ${verb} this ${resource}`
    : `Only ${WHOSE[resource]} or an admin can ${verb} ${action === 'create' ? `a ${resource} here` : 'it'}`;
}

/**
 * A dependency is a promise between two initiatives: the accountable owners of either initiative, the people it
 * names (the requester and the provider, once recorded), and admins may add, change or remove it.
 */
export function mayAlterDependency(actor: Actor, people: readonly (string | null | undefined)[]): boolean {
  return actor.organizationRole === 'admin' || people.includes(actor.userId);
}

export const DEPENDENCY_REFUSAL =
  'Only the owners of the two initiatives, the requester or the provider of this dependency, or an admin can change it';
