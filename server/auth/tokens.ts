// Secret tokens for sessions, invites and API tokens: 160 random bits, base32 text, SHA-256 stored.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

const TOKEN_BYTES = 20;

/** A new random token: 20 bytes from the CSPRNG (160 bits), 32 base32 characters. */
export function generateToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database keeps instead of the token itself. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** API tokens carry a prefix so that secret scanners and people recognise them. */
export const API_TOKEN_PREFIX = 'lm_';

export function generateApiToken(): string {
  return `${API_TOKEN_PREFIX}${generateToken()}`;
}
