// An initiative's two statuses, side by side: delivery (from its metrics) and value (realized money
// against the same linear plan), and the money at risk when either slips.
import { slipAt, statusForSlip, worstStatus, type MetricPlan, type Status } from './slip.ts';

export interface InitiativeMoney {
  plannedValue: number;
  realizedValue: number;
  startAt: Date;
  targetAt: Date;
}

/** The money plan of an initiative, when it has one (a planned value and both dates). */
export function moneyOf(fields: {
  plannedValue?: number | null;
  realizedValue?: number | null;
  startAt?: Date | null;
  targetAt?: Date | null;
}): InitiativeMoney | null {
  if (fields.plannedValue === undefined || fields.plannedValue === null || !fields.startAt || !fields.targetAt)
    return null;
  return {
    plannedValue: fields.plannedValue,
    realizedValue: fields.realizedValue ?? 0,
    startAt: fields.startAt,
    targetAt: fields.targetAt,
  };
}

export interface InitiativeAssessment {
  delivery: Status;
  value: Status;
  valueSlip: number | null;
  /** Planned value not yet realized, when delivery or value is at risk or off track; else 0. */
  moneyAtRisk: number;
}

/** Value status: realized money against a plan from 0 at the start to the planned value at the target date. */
export function valueSlip(
  money: InitiativeMoney,
  now: Date,
  threshold: number,
): { slip: number | null; status: Status } {
  if (!(money.plannedValue > 0)) return { slip: null, status: 'no data' };
  const plan: MetricPlan = {
    direction: 'higher',
    baseline: 0,
    target: money.plannedValue,
    startAt: money.startAt,
    targetAt: money.targetAt,
    slipThreshold: threshold,
  };
  const slip = slipAt(plan, { at: now, value: money.realizedValue });
  return { slip, status: statusForSlip(slip, threshold) };
}

export function assessInitiative(input: {
  metricStatuses: readonly Status[];
  money: InitiativeMoney | null;
  now: Date;
  threshold: number;
}): InitiativeAssessment {
  const delivery = worstStatus(input.metricStatuses);
  const value = input.money
    ? valueSlip(input.money, input.now, input.threshold)
    : { slip: null, status: 'no data' as const };
  const slipping = [delivery, value.status].some((status) => status === 'at risk' || status === 'off track');
  const unrealized = input.money ? Math.max(0, input.money.plannedValue - input.money.realizedValue) : 0;
  return { delivery, value: value.status, valueSlip: value.slip, moneyAtRisk: slipping ? unrealized : 0 };
}
