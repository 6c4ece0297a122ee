// The portfolio's ownership rule (server/domain/ownership.ts) applied to a request: 403 with the rule's words.
import { mayAlter, refusal, type PortfolioAction, type PortfolioResource } from '../domain/ownership.ts';
import type { VarsOf } from './context.ts';
import type { MemberEnv } from './middleware/require-member.ts';
import { forbidden } from './errors.ts';

export function requirePortfolioRight(
  c: VarsOf<MemberEnv>,
  resource: PortfolioResource,
  action: PortfolioAction,
  ownerId: string | null,
): void {
  const actor = { userId: c.var.user.id, organizationRole: c.var.membership.role };
  if (!mayAlter(resource, action, actor, ownerId)) throw forbidden(refusal(resource, action));
}
