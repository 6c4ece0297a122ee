import { describe, expect, it } from 'vitest';
import {
  CreateInviteSchema,
  CreateOrganizationSchema,
  LoginSchema,
  SignupSchema,
} from '../../../../server/http/schemas.ts';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')).sort() ?? [];

describe('SignupSchema', () => {
  it('trims email and name', () => {
    expect(
      SignupSchema.parse({ email: '  ana@example.com ', password: 'long enough password', name: ' Ana ' }),
    ).toEqual({
      email: 'ana@example.com',
      password: 'long enough password',
      name: 'Ana',
    });
  });

  it('names every bad field', () => {
    expect(paths(SignupSchema.safeParse({ email: 'ana', password: 'short', name: '   ' }))).toEqual([
      'email',
      'name',
      'password',
    ]);
    expect(paths(SignupSchema.safeParse({}))).toEqual(['email', 'name', 'password']);
  });

  it('bounds the password length', () => {
    expect(SignupSchema.safeParse({ email: 'a@b.co', password: 'x'.repeat(201), name: 'A' }).success).toBe(false);
    expect(SignupSchema.safeParse({ email: 'a@b.co', password: 'x'.repeat(10), name: 'A' }).success).toBe(true);
  });
});

describe('LoginSchema', () => {
  it('does not reveal the password policy', () => {
    expect(LoginSchema.safeParse({ email: 'a@b.co', password: 'x' }).success).toBe(true);
    expect(paths(LoginSchema.safeParse({ email: 'a@b.co', password: '' }))).toEqual(['password']);
  });
});

describe('CreateOrganizationSchema', () => {
  it('needs 2 to 80 characters after trimming', () => {
    expect(CreateOrganizationSchema.safeParse({ name: ' a ' }).success).toBe(false);
    expect(CreateOrganizationSchema.safeParse({ name: 'x'.repeat(81) }).success).toBe(false);
    expect(CreateOrganizationSchema.parse({ name: ' Northwind ' })).toEqual({ name: 'Northwind' });
  });
});

describe('CreateInviteSchema', () => {
  it('defaults to a member invite for 7 days', () => {
    expect(CreateInviteSchema.parse({})).toEqual({ role: 'member', expiresInDays: 7 });
  });
  it('rejects unknown roles and long lifetimes', () => {
    expect(paths(CreateInviteSchema.safeParse({ role: 'owner', expiresInDays: 31 }))).toEqual([
      'expiresInDays',
      'role',
    ]);
  });
});
