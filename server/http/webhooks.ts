// Outgoing webhooks of an organization (admins only): add, change, remove, the delivery log, redeliver, and a
// test ping. The secret is made here and shown once; deliveries are queued and sent by the notifier's worker.
// A URL whose host is this server, a local name or a special-purpose address literal is refused here (400 naming
// `url`) unless the server allows private targets (see NotifyOptions); the sender checks it again, with every
// address the host resolves to.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { requireAdmin, requireMember, type MemberEnv } from './middleware/require-member.ts';
import { generateToken } from '../auth/tokens.ts';
import { webhookPayload, webhookUrlError } from '../domain/webhooks.ts';
import type { Notifier } from '../services/notify/notifier.ts';
import { interfaceAddresses } from '../services/notify/send.ts';
import {
  deleteWebhook,
  enqueueDelivery,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
} from '../store/webhooks.ts';
import type { AppEnv, VarsOf } from './context.ts';
import { badRequest, notFound, validationHook } from './errors.ts';
import { errors, jsonBody, jsonResponse, noContent } from './route-helpers.ts';
import {
  CreateWebhookSchema,
  DeliveryParams,
  DeliverySchema,
  toDelivery,
  toWebhook,
  UpdateWebhookSchema,
  WebhookParams,
  WebhookSchema,
} from './webhook-schemas.ts';
import { OrgParams } from './params.ts';

const tags = ['webhooks'];
const WebhookResponse = z.object({ webhook: WebhookSchema });
const DeliveryResponse = z.object({ delivery: DeliverySchema });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{orgId}/webhooks',
    tags,
    summary: "The organization's webhooks (admins)",
    middleware: [requireMember, requireAdmin] as const,
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(z.object({ webhooks: z.array(WebhookSchema) }), 'Webhooks'),
      ...errors(400, 401, 403),
    },
  }),
  create: createRoute({
    method: 'post',
    path: '/{orgId}/webhooks',
    tags,
    summary: 'Add a webhook; its signing secret is in this response only',
    middleware: [requireMember, requireAdmin] as const,
    request: { params: OrgParams, body: jsonBody(CreateWebhookSchema) },
    responses: {
      201: jsonResponse(
        WebhookResponse.extend({
          secret: z.string().openapi({ description: 'Verify X-Lastmile-Signature with it; shown once' }),
        }),
        'Added',
      ),
      ...errors(400, 401, 403),
    },
  }),
  update: createRoute({
    method: 'patch',
    path: '/{orgId}/webhooks/{webhookId}',
    tags,
    summary: "Change a webhook's URL, events, or pause it",
    middleware: [requireMember, requireAdmin] as const,
    request: { params: WebhookParams, body: jsonBody(UpdateWebhookSchema) },
    responses: { 200: jsonResponse(WebhookResponse, 'Changed'), ...errors(400, 401, 403, 404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{orgId}/webhooks/{webhookId}',
    tags,
    summary: 'Remove a webhook and its delivery log',
    middleware: [requireMember, requireAdmin] as const,
    request: { params: WebhookParams },
    responses: { ...noContent, ...errors(400, 401, 403, 404) },
  }),
  deliveries: createRoute({
    method: 'get',
    path: '/{orgId}/webhooks/{webhookId}/deliveries',
    tags,
    summary: 'The delivery log, newest first: status, attempts, last response',
    middleware: [requireMember, requireAdmin] as const,
    request: {
      params: WebhookParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    responses: {
      200: jsonResponse(z.object({ deliveries: z.array(DeliverySchema) }), 'Deliveries'),
      ...errors(400, 401, 403, 404),
    },
  }),
  redeliver: createRoute({
    method: 'post',
    path: '/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    tags,
    summary: 'Send a delivery again, as a new delivery with the same payload',
    middleware: [requireMember, requireAdmin] as const,
    request: { params: DeliveryParams },
    responses: { 202: jsonResponse(DeliveryResponse, 'Queued'), ...errors(400, 401, 403, 404) },
  }),
  test: createRoute({
    method: 'post',
    path: '/{orgId}/webhooks/{webhookId}/test',
    tags,
    summary: 'Send a `ping` event to the webhook',
    middleware: [requireMember, requireAdmin] as const,
    request: { params: WebhookParams },
    responses: { 202: jsonResponse(DeliveryResponse, 'Queued'), ...errors(400, 401, 403, 404) },
  }),
};

export function webhookRoutes(notifier: Notifier) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const checkUrl = (url: string | undefined) => {
    const problem =
      url &&
      webhookUrlError(url, {
        allowPrivateNetworks: notifier.options.allowPrivateNetworks,
        ownAddresses: interfaceAddresses(),
      });
    if (problem) throw badRequest('Invalid request', [{ path: 'url', message: problem }]);
  };

  async function webhookOf(c: VarsOf<MemberEnv>, webhookId: string) {
    const webhook = await findWebhook(c.var.deps.sql, c.var.membership.id, webhookId);
    if (!webhook) throw notFound('No such webhook in this organization');
    return webhook;
  }

  app.openapi(routes.list, async (c) => {
    const webhooks = await listWebhooks(c.var.deps.sql, c.var.membership.id);
    return c.json({ webhooks: webhooks.map(toWebhook) }, 200);
  });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    checkUrl(input.url);
    const secret = `whsec_${generateToken()}`;
    const { sql, now } = c.var.deps;
    let row = await insertWebhook(
      sql,
      { organizationId: c.var.membership.id, url: input.url, secret, events: input.events, createdBy: c.var.user.id },
      now(),
    );
    if (input.active === false) row = (await updateWebhook(sql, row.organizationId, row.id, { active: false }))!;
    return c.json({ webhook: toWebhook(row), secret }, 201);
  });

  app.openapi(routes.update, async (c) => {
    const { webhookId } = c.req.valid('param');
    const input = c.req.valid('json');
    checkUrl(input.url);
    const row = await updateWebhook(c.var.deps.sql, c.var.membership.id, webhookId, input);
    if (!row) throw notFound('No such webhook in this organization');
    // Resuming a paused webhook sends what queued up meanwhile.
    if (row.active) notifier.worker.wake();
    return c.json({ webhook: toWebhook(row) }, 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { webhookId } = c.req.valid('param');
    if (!(await deleteWebhook(c.var.deps.sql, c.var.membership.id, webhookId)))
      throw notFound('No such webhook in this organization');
    return c.body(null, 204);
  });

  app.openapi(routes.deliveries, async (c) => {
    const { webhookId } = c.req.valid('param');
    const webhook = await webhookOf(c, webhookId);
    const rows = await listDeliveries(c.var.deps.sql, webhook.id, c.req.valid('query').limit);
    return c.json({ deliveries: rows.map(toDelivery) }, 200);
  });

  app.openapi(routes.redeliver, async (c) => {
    const { webhookId, deliveryId } = c.req.valid('param');
    const webhook = await webhookOf(c, webhookId);
    const { sql, now } = c.var.deps;
    const original = await findDelivery(sql, webhook.id, deliveryId);
    if (!original) throw notFound('No such delivery of this webhook');
    const delivery = await enqueueDelivery(sql, webhook.id, original.event, original.payload, now());
    notifier.worker.wake();
    return c.json({ delivery: toDelivery(delivery) }, 202);
  });

  app.openapi(routes.test, async (c) => {
    const { webhookId } = c.req.valid('param');
    const webhook = await webhookOf(c, webhookId);
    const { sql, now } = c.var.deps;
    const at = now();
    const payload = webhookPayload('ping', webhook.organizationId, at.toISOString(), {
      webhookId: webhook.id,
      message: 'A test delivery from Lastmile',
    });
    const delivery = await enqueueDelivery(sql, webhook.id, 'ping', payload, at);
    notifier.worker.wake();
    return c.json({ delivery: toDelivery(delivery) }, 202);
  });

  return app;
}
