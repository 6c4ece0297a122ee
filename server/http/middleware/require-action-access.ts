// For /actions/:actionId/… routes: a member of the action item's organization; outside it, the item does not exist.
import { createMiddleware } from 'hono/factory';
import { findActionItem, type ActionItemRow } from '../../store/action-items.ts';
import { findMembership } from '../../store/organizations.ts';
import { notFound, unauthorized } from '../errors.ts';
import { ActionParams, pathId } from '../params.ts';
import { signedIn } from './load-session.ts';
import type { MemberEnv } from './require-member.ts';

export type ActionEnv = MemberEnv & { Variables: { action: ActionItemRow } };

export const requireActionAccess = createMiddleware<ActionEnv>(async (c, next) => {
  const found = signedIn(c);
  if (!found) throw unauthorized();
  const { sql } = c.var.deps;
  const action = await findActionItem(sql, pathId(c, 'actionId', ActionParams.shape.actionId));
  if (!action) throw notFound('No such action item');
  const membership = await findMembership(sql, action.organizationId, found.user.id);
  if (!membership) throw notFound('No such action item');
  c.set('user', found.user);
  c.set('session', found.session);
  c.set('membership', membership);
  c.set('action', action);
  await next();
});
