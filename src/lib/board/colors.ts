// One stable color per person, for presence avatars and remote cursors.
const PALETTE = [
  { solid: '#2563eb', light: '#2563eb33' },
  { solid: '#db2777', light: '#db277733' },
  { solid: '#059669', light: '#05966933' },
  { solid: '#d97706', light: '#d9770633' },
  { solid: '#7c3aed', light: '#7c3aed33' },
  { solid: '#0891b2', light: '#0891b233' },
  { solid: '#dc2626', light: '#dc262633' },
  { solid: '#4d7c0f', light: '#4d7c0f33' },
];

export function colorFor(userId: string): { solid: string; light: string } {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts.at(-1)![0] : '')).toUpperCase();
}
