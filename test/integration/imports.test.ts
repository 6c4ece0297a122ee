import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function setup() {
  const admin = await signUp(server.origin, 'Import Admin');
  const org = await createOrganization(admin.client, 'Import Org');
  const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'Nightly CSV' });
  const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
  return { admin, org, source, secret: body.secret as string };
}

async function postCsv(client: ApiClient, path: string, csv: string) {
  return client.request('POST', path, csv, { 'content-type': 'text/csv' });
}

async function waitForImport(client: ApiClient, orgId: string, id: string) {
  const seen: number[] = [];
  for (let i = 0; i < 600; i++) {
    const { body } = await client.get(`/api/orgs/${orgId}/imports/${id}`);
    seen.push(body.import.processedRows);
    if (body.import.status !== 'running') return { job: body.import, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the import did not finish');
}

describe('CSV import', () => {
  it('previews the headers and first rows and suggests a mapping', async () => {
    const { org, source } = await setup();
    const csv = 'KPI,Date,Actual,Comments\nFuel savings,2026-11-01,412000,ok\nFuel savings,2026-11-08,415000,\n';
    const response = await postCsv(source, `/api/orgs/${org.id}/imports/preview`, csv);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      headers: ['KPI', 'Date', 'Actual', 'Comments'],
      rows: [
        ['Fuel savings', '2026-11-01', '412000', 'ok'],
        ['Fuel savings', '2026-11-08', '415000', ''],
      ],
      totalRows: 2,
      suggestedMapping: { metric: 'KPI', value: 'Actual', at: 'Date', note: 'Comments' },
    });
  });

  it('refuses a mapping that does not fit the file before starting', async () => {
    const { org, source } = await setup();
    const response = await postCsv(
      source,
      `/api/orgs/${org.id}/imports?value=amount&metric=kpi`,
      'kpi,date\nx,2026-01-01\n',
    );
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'value', message: 'the file has no column "amount"' }]);
    expect((await postCsv(source, `/api/orgs/${org.id}/imports?value=v`, '')).status).toBe(400);
  });

  it('imports 100,000 rows in the background with progress, keeps good rows and lists bad ones by line', async () => {
    const { admin, org, source } = await setup();
    const names = ['Fuel savings', 'Scanner coverage', 'Delivery time', 'API latency'];
    const metrics = [];
    for (const name of names) metrics.push(await createMetric(admin.client, org.id, admin.user.id, { name }));
    const start = Date.parse('2026-01-01T00:00:00Z');
    const lines = ['metric,at,value,source'];
    for (let i = 0; i < 100_000; i++) {
      const at = new Date(start + i * 60_000).toISOString();
      const value = i === 500 ? 'oops' : String(i % 100);
      lines.push(`${names[i % 4]},${at},${value},nightly`);
    }
    lines.push('No such metric,2026-02-01,1,nightly');
    const csv = `${lines.join('\n')}\n`;

    const events: string[] = [];
    const stop = server.events.subscribe((event) => events.push(event.type));
    try {
      const started = await postCsv(
        source,
        `/api/orgs/${org.id}/imports?metric=metric&at=at&value=value&source=source`,
        csv,
      );
      expect(started.status).toBe(202);
      expect(started.body.import).toMatchObject({ status: 'running', totalRows: 100_001 });
      // The server keeps answering while it imports.
      expect((await new ApiClient(server.origin).get('/healthz')).status).toBe(200);

      const { job, seen } = await waitForImport(source, org.id, started.body.import.id);
      expect(job.status).toBe('done');
      expect(job.processedRows).toBe(100_001);
      expect(job.accepted).toBe(99_999);
      expect(job.rejectedCount).toBe(2);
      expect(job.rejected).toEqual([
        { row: 502, issues: [{ path: 'value', message: '"oops" is not a number' }] },
        { row: 100_002, issues: [{ path: 'metric', message: 'no metric "No such metric" in this organization' }] },
      ]);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(events.filter((type) => type === 'metric.updated').length).toBeGreaterThan(0);
    } finally {
      stop();
    }
    const counted = await server.db.sql`
      select count(*)::int as count from readings where metric_id = any(${metrics.map((m) => m.id)}::uuid[])
    `;
    expect(counted[0]!.count).toBe(99_999);

    // The same file again adds nothing: every row is a duplicate.
    const again = await postCsv(
      source,
      `/api/orgs/${org.id}/imports?metric=metric&at=at&value=value&source=source`,
      csv,
    );
    const { job: second } = await waitForImport(source, org.id, again.body.import.id);
    expect(second).toMatchObject({ status: 'done', accepted: 0, duplicates: 99_999 });
  }, 180_000);

  it('reports progress to whichever process is asked, and an import whose process stopped as failed', async () => {
    const { admin, org, source, secret } = await setup();
    // Values climb to 4,999: a count, not a percentage (which must stay within 0–100).
    const metric = await createMetric(admin.client, org.id, admin.user.id, { unit: 'number' });
    // A second process on the same database, as behind a load balancer.
    const other = await startTestServer({}, { db: server.db });
    try {
      const elsewhere = new ApiClient(other.origin, { sendOrigin: false, bearer: secret });
      const lines = ['at,value'];
      for (let i = 0; i < 5_000; i++) lines.push(`${new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()},${i}`);
      const started = await postCsv(
        source,
        `/api/orgs/${org.id}/imports?at=at&value=value&metricId=${metric.id}`,
        `${lines.join('\n')}\n`,
      );
      expect(started.status).toBe(202);
      const { job } = await waitForImport(elsewhere, org.id, started.body.import.id);
      expect(job).toMatchObject({ status: 'done', processedRows: 5_000, accepted: 5_000, rejectedCount: 0 });

      // A job left running by a process that died: no progress for over a minute.
      const orphan = randomUUID();
      const longAgo = new Date(Date.now() - 5 * 60_000);
      await server.db.sql`
        insert into import_jobs (id, organization_id, status, total_rows, processed_rows, started_at, updated_at)
        values (${orphan}, ${org.id}, 'running', 100, 40, ${longAgo}, ${longAgo})
      `;
      const { body } = await elsewhere.get(`/api/orgs/${org.id}/imports/${orphan}`);
      expect(body.import).toMatchObject({ status: 'failed', processedRows: 40 });
      expect(body.import.error).toContain('stopped');
    } finally {
      await other.stop({ keepDatabase: true });
    }
  });

  it('keeps imports of one organization away from another', async () => {
    const { org, source } = await setup();
    const other = await setup();
    const metric = await createMetric(other.admin.client, other.org.id, other.admin.user.id);
    const refused = await postCsv(source, `/api/orgs/${org.id}/imports?value=v&metricId=${metric.id}`, 'v\n1\n');
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'metricId', message: 'is not a metric of this organization' }]);
    expect((await postCsv(source, `/api/orgs/${other.org.id}/imports/preview`, 'v\n1\n')).status).toBe(403);
    const own = await postCsv(
      other.source,
      `/api/orgs/${other.org.id}/imports?value=v&metricId=${metric.id}`,
      'v\n1\n',
    );
    expect(own.status).toBe(202);
    expect((await source.get(`/api/orgs/${org.id}/imports/${own.body.import.id}`)).status).toBe(404);
  });
});
