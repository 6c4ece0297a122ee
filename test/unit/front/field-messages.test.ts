import { describe, expect, it } from 'vitest';
import { asPercentMessage, humanizePath } from '../../../src/lib/field-messages.ts';

describe('field messages in the form’s words', () => {
  it('names a path as a person would', () => {
    expect(humanizePath('plannedValue')).toBe('planned value');
    expect(humanizePath('links.0.url')).toBe('links 1 url');
    expect(humanizePath('title')).toBe('title');
  });

  it('says a fraction’s limits in percent for a percent field', () => {
    expect(asPercentMessage('must be at most 1 (a fraction: 0.15 is 15%)')).toBe('must be at most 100%');
    expect(asPercentMessage('must be more than 0')).toBe('must be more than 0%');
    expect(asPercentMessage('must be at least 0.005')).toBe('must be at least 0.5%');
    expect(asPercentMessage('must be a number')).toBe('must be a number');
  });
});
