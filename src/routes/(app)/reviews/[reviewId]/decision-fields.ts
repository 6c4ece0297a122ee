// How the decision forms' fields and labels look, shared by the draft and the recorded decision.
export const fieldClass =
  'block w-full rounded-md border-0 bg-surface px-2.5 py-1.5 text-sm ring-1 ring-line-strong focus:ring-2 focus:ring-brand-500';
export const labelClass = 'block text-xs font-medium text-fg-soft';
