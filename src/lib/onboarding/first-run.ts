// The first-run checklist of a new organization, in the order that builds on itself: what the team wants to
// achieve, how it is measured, the work that delivers it, the people, then the first review that brings them together.

export const FIRST_RUN_STEPS = ['objective', 'metric', 'initiative', 'invite', 'review'] as const;
export type FirstRunStep = (typeof FIRST_RUN_STEPS)[number];

export interface OrganizationCounts {
  objectives: number;
  metrics: number;
  initiatives: number;
  /** Members other than the person looking, plus invitations still open. */
  colleagues: number;
  reviews: number;
}

export interface StepState {
  step: FirstRunStep;
  done: boolean;
}

export interface FirstRun {
  steps: StepState[];
  /** The first step not yet done, in order: the one the checklist offers to do now; null when all are done. */
  next: FirstRunStep | null;
  doneCount: number;
}

const DONE: Record<FirstRunStep, (counts: OrganizationCounts) => boolean> = {
  objective: (counts) => counts.objectives > 0,
  metric: (counts) => counts.metrics > 0,
  initiative: (counts) => counts.initiatives > 0,
  invite: (counts) => counts.colleagues > 0,
  review: (counts) => counts.reviews > 0,
};

export function firstRun(counts: OrganizationCounts): FirstRun {
  const steps = FIRST_RUN_STEPS.map((step) => ({ step, done: DONE[step](counts) }));
  return {
    steps,
    next: steps.find((state) => !state.done)?.step ?? null,
    doneCount: steps.filter((state) => state.done).length,
  };
}
