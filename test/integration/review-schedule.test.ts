// Scheduling a review: a start in the past is refused with the field named; a second review with the same title
// on the same day is scheduled, and the answer names the one it may duplicate so the UI can ask first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { createReview, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let facilitator: Person;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  facilitator = await signUp(server.origin, 'Fran Facilitator');
  orgId = (await createOrganization(facilitator.client, 'Schedule Org')).id;
});
afterAll(() => server?.stop());

const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

describe('scheduling a review', () => {
  it('refuses a start in the past, naming the field', async () => {
    const response = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Last week’s review',
      scheduledAt: inHours(-24 * 7),
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'The review must start in the future',
      issues: [{ path: 'scheduledAt', message: 'The review must start in the future' }],
    });
    const listed = await facilitator.client.get(`/api/orgs/${orgId}/reviews`);
    expect(listed.body.reviews.map((r: { title: string }) => r.title)).not.toContain('Last week’s review');
  });

  it('accepts a start a few minutes behind the clock, and now by default', async () => {
    const justNow = await createReview(facilitator.client, orgId, { title: 'Just now', scheduledAt: inHours(-0.05) });
    expect(justNow.status).toBe('scheduled');
    const response = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, { title: 'Right away' });
    expect(response.status).toBe(201);
    expect(Math.abs(Date.parse(response.body.review.scheduledAt) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses rescheduling into the past', async () => {
    const review = await createReview(facilitator.client, orgId, { title: 'Movable', scheduledAt: inHours(48) });
    const moved = await facilitator.client.request('PATCH', `/api/reviews/${review.id}`, { scheduledAt: inHours(-48) });
    expect(moved.status).toBe(400);
    expect(moved.body.issues).toEqual([{ path: 'scheduledAt', message: 'The review must start in the future' }]);
    const later = await facilitator.client.request('PATCH', `/api/reviews/${review.id}`, { scheduledAt: inHours(72) });
    expect(later.status).toBe(200);
  });

  it('schedules a second review with the same title on the same day, and names the first', async () => {
    const day = new Date(Date.now() + 10 * 86_400_000);
    day.setUTCHours(9, 0, 0, 0);
    const first = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Monthly business review',
      scheduledAt: day.toISOString(),
    });
    expect(first.status).toBe(201);
    expect(first.body.sameDay).toEqual([]);

    const afternoon = new Date(day.getTime() + 5 * 3600_000).toISOString();
    const second = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: '  monthly business REVIEW ',
      scheduledAt: afternoon,
    });
    expect(second.status).toBe(201);
    expect(second.body.sameDay).toEqual([
      { id: first.body.review.id, title: 'Monthly business review', scheduledAt: day.toISOString() },
    ]);

    // The next day is another meeting.
    const nextDay = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Monthly business review',
      scheduledAt: new Date(day.getTime() + 86_400_000).toISOString(),
    });
    expect(nextDay.body.sameDay).toEqual([]);
  });

  it('flags a reschedule or rename onto another review’s day and title, never the review itself', async () => {
    const day = new Date(Date.now() + 30 * 86_400_000);
    day.setUTCHours(9, 0, 0, 0);
    const kept = await createReview(facilitator.client, orgId, {
      title: 'Quarterly review',
      scheduledAt: day.toISOString(),
    });
    const moving = await createReview(facilitator.client, orgId, {
      title: 'Quarterly review',
      scheduledAt: new Date(day.getTime() + 7 * 86_400_000).toISOString(),
    });
    // Moved onto the other's day: changed, and the clash named.
    const afternoon = new Date(day.getTime() + 6 * 3600_000).toISOString();
    const moved = await facilitator.client.request('PATCH', `/api/reviews/${moving.id}`, { scheduledAt: afternoon });
    expect(moved.status).toBe(200);
    expect(moved.body.review.scheduledAt).toBe(afternoon);
    expect(moved.body.sameDay).toEqual([{ id: kept.id, title: 'Quarterly review', scheduledAt: day.toISOString() }]);
    // Renamed away, nothing clashes; its own day never counts against it.
    const renamed = await facilitator.client.request('PATCH', `/api/reviews/${moving.id}`, { title: 'Pricing review' });
    expect(renamed.body.sameDay).toEqual([]);
    const back = await facilitator.client.request('PATCH', `/api/reviews/${moving.id}`, { title: 'quarterly REVIEW' });
    expect(back.body.sameDay.map((r: { id: string }) => r.id)).toEqual([kept.id]);
    // In Tokyo, 15:00 UTC is already the next day, away from 09:00 UTC (18:00 there).
    const tokyo = await facilitator.client.request('PATCH', `/api/reviews/${moving.id}`, {
      scheduledAt: new Date(day.getTime() + 15.5 * 3600_000).toISOString(),
      timeZone: 'Asia/Tokyo',
    });
    expect(tokyo.body.sameDay).toEqual([]);
  });

  it('compares calendar days in the time zone the request names', async () => {
    const day = new Date(Date.now() + 20 * 86_400_000);
    day.setUTCHours(12, 0, 0, 0);
    const noon = await createReview(facilitator.client, orgId, {
      title: 'Zone review',
      scheduledAt: day.toISOString(),
    });
    // 23:30 UTC is the same UTC day, but already the next day in Tokyo.
    const late = new Date(day.getTime() + 11.5 * 3600_000).toISOString();
    const utc = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Zone review',
      scheduledAt: late,
    });
    expect(utc.body.sameDay.map((r: { id: string }) => r.id)).toEqual([noon.id]);
    const tokyo = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Zone review',
      scheduledAt: new Date(Date.parse(late) + 60_000).toISOString(),
      timeZone: 'Asia/Tokyo',
    });
    // In Tokyo, the one at 23:30 UTC shares the day; noon UTC (21:00 the day before) does not.
    expect(tokyo.body.sameDay.map((r: { id: string }) => r.id)).toEqual([utc.body.review.id]);

    const bad = await facilitator.client.post(`/api/orgs/${orgId}/reviews`, {
      title: 'Zone review',
      timeZone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: 'timeZone', message: 'must be a time zone such as Europe/Berlin' }]);
  });
});
