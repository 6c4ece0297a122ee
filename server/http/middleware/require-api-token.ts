// `Authorization: Bearer <token>` authenticates a data source as its organization (401 without a usable token).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { hashToken } from '../../auth/tokens.ts';
import { useApiToken, type TokenPrincipal } from '../../store/api-tokens.ts';
import type { AppEnv } from '../context.ts';
import { unauthorized } from '../errors.ts';

export type TokenEnv = AppEnv & { Variables: { apiToken: TokenPrincipal } };

/** The token of an `Authorization: Bearer` header, if the request sends one. */
export function bearerToken(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

export const requireApiToken = createMiddleware<TokenEnv>(async (c, next) => {
  const token = bearerToken(c);
  if (!token) throw unauthorized('An API token is required: Authorization: Bearer <token>');
  const principal = await useApiToken(c.var.deps.sql, hashToken(token), c.var.deps.now());
  if (!principal) throw unauthorized('The API token is unknown or revoked');
  c.set('apiToken', principal);
  await next();
});
