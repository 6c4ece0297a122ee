import { describe, expect, it } from 'vitest';
import { omitEmptyFields } from '../../../../server/domain/minutes-notes.ts';
import { TRIAGE_TEMPLATE } from '../../../../server/domain/triage.ts';

describe('notes in the minutes', () => {
  it('leave out the prompts of the triage template nobody filled in', () => {
    const notes = TRIAGE_TEMPLATE.replace(
      'What happened:\n',
      'What happened:\nDiesel price spike in the north.\n',
    ).replace('Decision:\n', 'Decision: pilot eco-driving training\n');
    expect(omitEmptyFields(notes)).toBe(
      'What happened:\nDiesel price spike in the north.\n\nDecision: pilot eco-driving training',
    );
  });

  it('are empty when only the template is there', () => {
    expect(omitEmptyFields(TRIAGE_TEMPLATE)).toBe('');
  });

  it('keep a label whose text follows on the next lines, and every line that is not a bare label', () => {
    const notes = 'Options:\n\n- Eco-driving\n- New routes\n\nOwner:\nSofia\n\nDue date:\n';
    expect(omitEmptyFields(notes)).toBe('Options:\n\n- Eco-driving\n- New routes\n\nOwner:\nSofia');
    expect(omitEmptyFields('Ratio: 3:1 expected\nnote: lower case is text')).toBe(
      'Ratio: 3:1 expected\nnote: lower case is text',
    );
  });
});
