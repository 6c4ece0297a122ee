import { describe, expect, it } from 'vitest';
import {
  assignColors,
  colorFor,
  contrastRatio,
  initials,
  luminanceOf,
  PALETTE,
  paletteIndexOf,
} from '../../../src/lib/board/colors.ts';

/** UUIDs as the database makes them, from a fixed seed so a failure can be replayed. */
function uuids(count: number, seed = 27): string[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state.toString(16).padStart(8, '0');
  };
  return Array.from({ length: count }, () => {
    const hex = next() + next() + next() + next();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  });
}

describe('person colors', () => {
  it('computes WCAG contrast as the standard does', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(luminanceOf('#ffffff')).toBeCloseTo(1, 5);
  });

  it('keeps white initials at 4.5:1 or more on every color of the palette', () => {
    for (const color of PALETTE) expect(contrastRatio(color, '#ffffff'), color).toBeGreaterThanOrEqual(4.5);
    // The ring between stacked avatars is the page background: the avatar stands out from it in dark mode too.
    for (const color of PALETTE) expect(contrastRatio(color, '#020617'), color).toBeGreaterThanOrEqual(1.8);
  });

  it('has no color twice in the palette', () => {
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(PALETTE.length);
  });

  it('gives a person the same color every time', () => {
    for (const id of uuids(20)) {
      expect(colorFor(id)).toEqual(colorFor(id));
      expect(assignColors([id]).get(id)).toEqual(colorFor(id));
    }
  });

  it('spreads ids over the whole palette', () => {
    const used = new Set(uuids(200).map(paletteIndexOf));
    expect(used.size).toBe(PALETTE.length);
  });

  it('gives everyone in a room a different color, in whatever order they are listed', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const ids = uuids(1 + (seed % PALETTE.length), seed);
      const colors = assignColors(ids);
      expect(new Set([...colors.values()].map((c) => c.solid)).size, `seed ${seed}`).toBe(ids.length);
      expect(assignColors([...ids].reverse())).toEqual(colors);
    }
  });

  it('still gives everyone a color in a room larger than the palette', () => {
    const ids = uuids(PALETTE.length + 5);
    const colors = assignColors(ids);
    expect(colors.size).toBe(ids.length);
    expect(new Set([...colors.values()].map((c) => c.solid)).size).toBe(PALETTE.length);
  });

  it('tells "MO" from "MC": initials of the first and last name', () => {
    expect(initials('Maya Okafor')).toBe('MO');
    expect(initials('  jonas  ')).toBe('J');
    expect(initials('')).toBe('?');
  });
});
