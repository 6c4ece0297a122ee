import { describe, expect, it } from 'vitest';
import type { DecisionView } from '../../../server/domain/board.ts';
import { draftProblem } from '../../../src/lib/board/decisions.ts';
import { ACTION_TITLE_MAX, titleLength, titleProblem } from '../../../src/lib/title-limit.ts';

describe('the title counter', () => {
  it('counts what the server counts: the trimmed title, against 200', () => {
    expect(ACTION_TITLE_MAX).toBe(200);
    expect(titleLength('  Pilot eco-driving  ')).toEqual({ length: 17, over: 0, text: '17 / 200' });
    expect(titleLength('x'.repeat(200)).text).toBe('200 / 200');
  });

  it('says by how much a title is too long', () => {
    expect(titleLength('x'.repeat(201))).toEqual({ length: 201, over: 1, text: '1 character too long (201 / 200)' });
    expect(titleLength('x'.repeat(212)).text).toBe('12 characters too long (212 / 200)');
  });
});

describe('a title that cannot be saved', () => {
  it('is empty or over the limit', () => {
    expect(titleProblem('   ')).toBe('Give the action item a title');
    expect(titleProblem('Fine')).toBeNull();
    expect(titleProblem('x'.repeat(230), 'decision')).toBe('Shorten the decision by 30 characters (at most 200)');
  });

  it('keeps a draft decision from being recorded', () => {
    const draft = { title: 'x'.repeat(201), ownerId: 'u1', dueDate: '2026-12-20' } as DecisionView;
    expect(draftProblem({ ...draft, expectedMaxSlip: null, expectedBy: null }, '2026-12-04')).toBe(
      'Shorten the decision by 1 character (at most 200)',
    );
  });
});
