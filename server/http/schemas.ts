// Request and response schemas of the public API; the OpenAPI document is generated from them.
import { z } from '@hono/zod-openapi';
import { controlCharacterProblem, DATE_LIMIT, dateProblem, EARLIEST_DATE } from '../domain/plausible-input.ts';
import { OrgParams, uuidOf } from './params.ts';

const stringError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a string');

function refuseControlCharacters(multiline: boolean) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = controlCharacterProblem(value, { multiline });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

/**
 * Every string a request may carry starts as one of these two, so that NUL (PostgreSQL refuses it: a 500) and
 * other control characters are refused in one place: a name, a title, an id or a URL is one line.
 */
export const singleLine = () => z.string({ error: stringError }).superRefine(refuseControlCharacters(false));
/** Notes and descriptions: tabs and line breaks are text too. */
export const multiLine = () => z.string({ error: stringError }).superRefine(refuseControlCharacters(true));

function refuseImplausibleDate(toDate: (value: string) => Date) {
  return (value: string, ctx: z.RefinementCtx) => {
    const date = toDate(value);
    // A value that is no date at all already has its format's issue.
    const problem = Number.isNaN(date.getTime()) ? undefined : dateProblem(date);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

const DATE_WINDOW = `from ${EARLIEST_DATE}, before ${DATE_LIMIT}`;

/** A calendar date (YYYY-MM-DD) in the window every date field shares, kept as the string. */
export const calendarDate = (message = 'must be a date (YYYY-MM-DD)') =>
  z.iso
    .date({ message })
    .superRefine(refuseImplausibleDate((value) => new Date(`${value}T00:00:00Z`)))
    .openapi({ description: DATE_WINDOW });

/** An ISO 8601 date-time with an offset, in the window every date field shares, kept as the string. */
export const dateTime = (message = 'must be an ISO 8601 date-time') =>
  z.iso
    .datetime({ offset: true, message })
    .superRefine(refuseImplausibleDate((value) => new Date(value)))
    .openapi({ description: DATE_WINDOW });

export const ErrorSchema = z
  .object({
    error: z.string(),
    code: z
      .string()
      .optional()
      .openapi({ description: 'A machine-readable kind where a client may act on it, e.g. reading_jump' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi('Error');

const email = singleLine()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid email address' }))
  .openapi({ example: 'ana@example.com' });

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const SignupSchema = z
  .object({
    email,
    password: singleLine()
      .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
    name: singleLine().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  })
  .openapi('Signup');

export const LoginSchema = z
  .object({
    email,
    password: singleLine().min(1, 'is required').max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
  })
  .openapi('Login');

export const UserSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string() }).openapi('User');

export const RoleSchema = z.enum(['admin', 'member']).openapi('Role');

export const OrganizationSchema = z
  .object({ id: z.uuid(), name: z.string(), role: RoleSchema })
  .openapi('Organization');

export const MeSchema = z.object({ user: UserSchema, organizations: z.array(OrganizationSchema) }).openapi('Me');

const orgName = singleLine().trim().min(2, 'must be at least 2 characters').max(80, 'must be at most 80 characters');

export const CreateOrganizationSchema = z.object({ name: orgName }).openapi('CreateOrganization');

export const MemberParams = OrgParams.extend({ userId: uuidOf('a user') });
export const InviteParams = OrgParams.extend({ inviteId: uuidOf('an invite') });
export const TokenParams = OrgParams.extend({ tokenId: uuidOf('a token') });
export const InviteTokenParams = z.object({
  token: singleLine().regex(/^[a-z2-7]{32}$/, 'must be an invitation token'),
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
    name: singleLine().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  })
  .openapi('CreateApiToken');

export const TokenIdentitySchema = z
  .object({
    organization: z.object({ id: z.uuid(), name: z.string() }),
    token: z.object({ id: z.uuid(), name: z.string() }),
  })
  .openapi('TokenIdentity');

/**
 * The body of a PATCH for an object of `fields`: every field optional and without its default. Zod's `partial()`
 * keeps defaults, so an absent field would come back as its default and overwrite what is stored (a PATCH of a
 * metric's name reset its frequency and removed its initiative links). Absent fields stay absent here; the route
 * merges the rest over what is stored and validates the merged object as a whole.
 */
export function patchOf<Shape extends z.ZodRawShape>(fields: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(fields.shape).map(([key, schema]) => {
      const field = schema as z.ZodType;
      return [key, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional()];
    }),
  );
  return z.object(shape) as unknown as ReturnType<z.ZodObject<Shape>['partial']>;
}
