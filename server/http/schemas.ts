// Request and response schemas of the public API; the OpenAPI document is generated from them.
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi('Error');

const email = z
  .string({ error: 'is required' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid email address' }))
  .openapi({ example: 'ana@example.com' });

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const SignupSchema = z
  .object({
    email,
    password: z
      .string({ error: 'is required' })
      .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  })
  .openapi('Signup');

export const LoginSchema = z
  .object({
    email,
    password: z
      .string({ error: 'is required' })
      .min(1, 'is required')
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
  })
  .openapi('Login');

export const UserSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string() }).openapi('User');

export const RoleSchema = z.enum(['admin', 'member']).openapi('Role');

export const OrganizationSchema = z
  .object({ id: z.uuid(), name: z.string(), role: RoleSchema })
  .openapi('Organization');

export const MeSchema = z.object({ user: UserSchema, organizations: z.array(OrganizationSchema) }).openapi('Me');

const orgName = z
  .string({ error: 'is required' })
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(80, 'must be at most 80 characters');

export const CreateOrganizationSchema = z.object({ name: orgName }).openapi('CreateOrganization');

export const OrgParams = z.object({ orgId: z.uuid({ message: 'must be an organization id (UUID)' }) });
export const MemberParams = OrgParams.extend({ userId: z.uuid({ message: 'must be a user id (UUID)' }) });
export const InviteParams = OrgParams.extend({ inviteId: z.uuid({ message: 'must be an invite id (UUID)' }) });
export const TokenParams = OrgParams.extend({ tokenId: z.uuid({ message: 'must be a token id (UUID)' }) });
export const InviteTokenParams = z.object({
  token: z.string().regex(/^[a-z2-7]{32}$/, 'must be an invitation token'),
});

export const MemberSchema = z
  .object({ userId: z.uuid(), name: z.string(), email: z.string(), role: RoleSchema, joinedAt: z.iso.datetime() })
  .openapi('Member');

export const InviteStatusSchema = z.enum(['pending', 'accepted', 'expired', 'revoked']);

export const InviteSchema = z
  .object({
    id: z.uuid(),
    role: RoleSchema,
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    status: InviteStatusSchema,
    acceptedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  })
  .openapi('Invite');

export const CreateInviteSchema = z
  .object({
    role: RoleSchema.default('member'),
    expiresInDays: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(30, 'must be at most 30')
      .default(7),
  })
  .openapi('CreateInvite');

export const InvitePreviewSchema = z
  .object({
    invite: z.object({
      organization: z.object({ id: z.uuid(), name: z.string() }),
      role: RoleSchema,
      expiresAt: z.iso.datetime(),
      invitedBy: z.object({ name: z.string() }).nullable(),
    }),
  })
  .openapi('InvitePreview');

export const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('ApiToken');

export const CreateApiTokenSchema = z
  .object({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  })
  .openapi('CreateApiToken');

export const TokenIdentitySchema = z
  .object({
    organization: z.object({ id: z.uuid(), name: z.string() }),
    token: z.object({ id: z.uuid(), name: z.string() }),
  })
  .openapi('TokenIdentity');
