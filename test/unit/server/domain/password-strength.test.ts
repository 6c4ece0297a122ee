import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, personalWords } from '../../../../server/domain/password-strength.ts';

const ana = { email: 'ana.souza@northwind.example', name: 'Ana Souza' };

describe('checkPasswordStrength', () => {
  it('accepts the passwords the tests and e2e journeys sign up with', () => {
    for (const password of ['correct horse battery', 'a long enough password', 'whatever-password'])
      expect(checkPasswordStrength(password, ana)).toEqual({ ok: true });
  });

  it('refuses common passwords with zxcvbn’s warning', () => {
    expect(checkPasswordStrength('password1234', ana)).toEqual({
      ok: false,
      reason: 'is too easy to guess: This is similar to a commonly used password.',
    });
    expect(checkPasswordStrength('qwertyuiop12', ana).ok).toBe(false);
    expect(checkPasswordStrength('aaaaaaaaaaaa', ana).ok).toBe(false);
  });

  it('refuses passwords made of the person’s own email and name', () => {
    for (const password of ['ana.souza123', 'Ana Souza 2024', 'northwind2024'])
      expect(checkPasswordStrength(password, ana)).toMatchObject({ ok: false });
    expect(checkPasswordStrength('ana.souza123', { email: 'x.y@example.com', name: 'X Y' }).ok).toBe(true);
  });
});

describe('personalWords', () => {
  it('takes the email, its parts, the name and its parts', () => {
    expect(personalWords(ana)).toEqual([
      'ana.souza@northwind.example',
      'ana.souza',
      'northwind.example',
      'ana',
      'souza',
      'northwind',
      'example',
      'Ana Souza',
      'Ana',
      'Souza',
      'lastmile',
    ]);
  });
});
