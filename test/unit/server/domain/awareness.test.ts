import { describe, expect, it } from 'vitest';
import { sanitizeAwarenessState } from '../../../../server/domain/awareness.ts';

const stamp = { userId: 'u-1', userName: 'Fran Facilitator', readOnly: false };
const position = { type: { client: 12, clock: 3 }, tname: null, item: { client: 40, clock: 7 }, assoc: 0 };

describe('sanitizeAwarenessState', () => {
  it('keeps what Lastmile’s client announces, stamped with the connection’s user and rights', () => {
    const state = {
      user: { name: 'Fran', color: '#2563eb', colorLight: '#2563eb33' },
      itemId: '0b7c8a1e-4a0e-4a51-9f3c-5d1c2f0e9a11',
      editingItemId: null,
      cursor: { anchor: position, head: { ...position, assoc: -1 } },
    };
    expect(sanitizeAwarenessState(state, stamp)).toEqual({
      user: { id: 'u-1', name: 'Fran Facilitator', color: '#2563eb', colorLight: '#2563eb33' },
      readOnly: false,
      itemId: state.itemId,
      editingItemId: null,
      cursor: state.cursor,
    });
  });

  it('drops fields the server does not know', () => {
    const clean = sanitizeAwarenessState(
      { itemId: 'a', junk: 'x'.repeat(10_000), html: '<img onerror=alert(1)>' },
      stamp,
    );
    expect(Object.keys(clean).sort()).toEqual(['itemId', 'readOnly', 'user']);
  });

  it('keeps only #rrggbb colors (and #rrggbbaa for the light one)', () => {
    for (const color of ['red;position:fixed;inset:0', 'red', '#fff', 'url(x)', '#2563eb;x', 7, null]) {
      const clean = sanitizeAwarenessState({ user: { color, colorLight: color } }, stamp);
      expect(clean.user).toEqual({ id: 'u-1', name: 'Fran Facilitator' });
    }
    expect(sanitizeAwarenessState({ user: { color: '#2563eb33' } }, stamp).user).toEqual({
      id: 'u-1',
      name: 'Fran Facilitator',
    });
  });

  it('never takes the user id, name or rights from the client', () => {
    const clean = sanitizeAwarenessState(
      { user: { id: 'someone-else', name: 'Mallory' }, readOnly: false },
      {
        ...stamp,
        readOnly: true,
      },
    );
    expect(clean).toEqual({ user: { id: 'u-1', name: 'Fran Facilitator' }, readOnly: true });
  });

  it('bounds item ids and drops a cursor that is not two relative positions', () => {
    const long = 'i'.repeat(65);
    expect(sanitizeAwarenessState({ itemId: long, editingItemId: 5 }, stamp)).not.toHaveProperty('itemId');
    expect(sanitizeAwarenessState({ itemId: long, editingItemId: 5 }, stamp)).not.toHaveProperty('editingItemId');
    for (const cursor of [
      'here',
      { anchor: position },
      { anchor: position, head: { ...position, tname: long } },
      { anchor: position, head: { ...position, item: { client: -1, clock: 0 } } },
      { anchor: position, head: { ...position, assoc: 0.5 } },
    ])
      expect(sanitizeAwarenessState({ cursor }, stamp)).not.toHaveProperty('cursor');
    expect(sanitizeAwarenessState({ cursor: null }, stamp).cursor).toBeNull();
  });

  it('rebuilds a cursor from its known fields only', () => {
    const clean = sanitizeAwarenessState(
      { cursor: { anchor: { ...position, extra: 'x'.repeat(1000) }, head: position, more: 1 } },
      stamp,
    );
    expect(clean.cursor).toEqual({ anchor: position, head: position });
  });

  it('makes every state small, whatever the client sent', () => {
    const huge = 'x'.repeat(1_000_000);
    const state = {
      user: { name: huge, color: huge, colorLight: huge, more: huge },
      itemId: huge,
      editingItemId: huge,
      cursor: { anchor: { tname: huge }, head: { tname: huge } },
      [huge]: huge,
    };
    expect(JSON.stringify(sanitizeAwarenessState(state, stamp)).length).toBeLessThan(200);
  });
});
