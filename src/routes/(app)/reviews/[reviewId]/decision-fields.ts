// How the decision forms' fields and labels look, shared by the draft and the recorded decision.
export const fieldClass =
  'block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-500 dark:bg-slate-900 dark:ring-slate-700';
export const labelClass = 'block text-xs font-medium text-slate-600 dark:text-slate-400';
