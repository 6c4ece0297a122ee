// The length limit of an action item's title (the server's 400 says the same), and what a live counter shows.

/** The server refuses longer titles (after trimming) with a 400 naming `title`; nothing is cut. */
export const ACTION_TITLE_MAX = 200;

export interface LengthState {
  length: number;
  over: number;
  /** "42 / 200", or "12 characters too long (212 / 200)". */
  text: string;
}

export function titleLength(title: string, max = ACTION_TITLE_MAX): LengthState {
  const length = title.trim().length;
  const over = Math.max(0, length - max);
  return {
    length,
    over,
    text: over ? `${over} character${over === 1 ? '' : 's'} too long (${length} / ${max})` : `${length} / ${max}`,
  };
}

/** Why a title cannot be saved, in the words the form shows; null when it can. */
export function titleProblem(title: string, what = 'action item', max = ACTION_TITLE_MAX): string | null {
  if (!title.trim()) return `Give the ${what} a title`;
  const { over } = titleLength(title, max);
  return over ? `Shorten the ${what} by ${over} character${over === 1 ? '' : 's'} (at most ${max})` : null;
}
