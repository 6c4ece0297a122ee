import { describe, expect, it } from 'vitest';
import { generateApiToken, generateToken, hashToken } from '../../../../server/auth/tokens.ts';

describe('generateToken', () => {
  it('makes 32 base32 characters, i.e. 160 bits, well above the 120 required', () => {
    const token = generateToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(token.length * 5).toBeGreaterThanOrEqual(120);
  });

  it('does not repeat itself', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateToken));
    expect(tokens.size).toBe(10_000);
  });

  it('uses every base32 symbol with roughly equal frequency', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const ch of generateToken()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (2000 * 32) / 32;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });
});

describe('hashToken', () => {
  it('is the hex SHA-256 of the token', () => {
    // SHA-256("abc") from FIPS 180-2.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('differs from the token and is deterministic', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
  });
});

describe('generateApiToken', () => {
  it('carries a recognisable prefix', () => {
    expect(generateApiToken()).toMatch(/^lm_[a-z2-7]{32}$/);
  });
});
