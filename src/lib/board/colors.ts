// One stable color per person, for presence avatars and remote cursors: picked from the user id, distinct among the
// people in one room, and dark enough that white initials read on it (WCAG AA, 4.5:1) in light and dark mode alike.

export interface PersonColor {
  /** The avatar's background and the cursor's color. */
  solid: string;
  /** The same, translucent: the cursor's selection. */
  light: string;
}

/**
 * Tailwind's 700 shades, ordered so that neighbours differ in hue: a person whose own color is taken gets the next
 * one along, which still looks unlike the first.
 */
export const PALETTE: readonly string[] = [
  '#1d4ed8', // blue
  '#be185d', // pink
  '#047857', // emerald
  '#b45309', // amber
  '#6d28d9', // violet
  '#0e7490', // cyan
  '#b91c1c', // red
  '#4d7c0f', // lime
  '#a21caf', // fuchsia
  '#0f766e', // teal
  '#c2410c', // orange
  '#4338ca', // indigo
];

const toColor = (solid: string): PersonColor => ({ solid, light: `${solid}33` });

/** FNV-1a with a murmur-style finish: every character of the id moves every bit of the result. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The palette slot a person prefers: the same in every browser, for good. */
export function paletteIndexOf(userId: string): number {
  return hashOf(userId) % PALETTE.length;
}

/** A person's own color, when no one else is around to share it with. */
export function colorFor(userId: string): PersonColor {
  return toColor(PALETTE[paletteIndexOf(userId)]!);
}

/**
 * Colors for everyone in a room, all different while the room holds no more people than the palette has colors.
 * Deterministic from the set of ids, so every browser in the room draws the same picture: in order of id, each
 * person takes their own slot, or the next free one when someone before them holds it.
 */
export function assignColors(userIds: Iterable<string>): Map<string, PersonColor> {
  const ids = [...new Set(userIds)].sort();
  const taken = new Set<number>();
  const colors = new Map<string, PersonColor>();
  for (const id of ids) {
    let slot = paletteIndexOf(id);
    if (taken.size < PALETTE.length) while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    colors.set(id, toColor(PALETTE[slot]!));
  }
  return colors;
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminanceOf(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colors, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminanceOf(a), luminanceOf(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts.at(-1)![0] : '')).toUpperCase();
}
