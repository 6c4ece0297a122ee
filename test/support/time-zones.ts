// Runs a check in several time zones for real: Node applies a change of process.env.TZ at once, to Date and to
// Intl alike. The zones are the extremes people live in: fourteen hours ahead of UTC, eleven behind, a half-hour
// offset, and UTC itself.
import { afterEach } from 'vitest';

export const TIME_ZONES = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns', 'Asia/Kathmandu', 'UTC'];

/** Sets the process's time zone for the current test; call `restoreTimeZoneAfterEach()` once in the file. */
export function useTimeZone(zone: string): void {
  process.env.TZ = zone;
  const canonical = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  if (Intl.DateTimeFormat().resolvedOptions().timeZone !== canonical)
    throw new Error(`time zone ${zone} did not apply`);
}

export function restoreTimeZoneAfterEach(): void {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
}
