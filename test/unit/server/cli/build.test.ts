import { describe, expect, it } from 'vitest';
import { buildOutputToShow } from '../../../../server/cli/build.ts';

const stdout = `
Run npm run preview to preview your production build locally.

> Using @sveltejs/adapter-static
  Wrote site to "build"
  ✔ done
`;

describe("the front end build's output at start-up", () => {
  it('prints nothing when the build worked', () => {
    expect(buildOutputToShow(stdout, false)).toBe('');
  });

  it('prints what the build said when it failed, but never the npm run preview hint', () => {
    const shown = buildOutputToShow(stdout, true);
    expect(shown).toContain('Using @sveltejs/adapter-static');
    expect(shown).not.toContain('npm run preview');
  });
});
