// The demo's dependency map: IT's dispatch API waits for the regions' scanner rollout, and selecting the
// rollout shows the IT work (and finance's savings behind it) as put at risk. In an organization of its own with the
// demo's portfolio and people, so the demo's dependencies and readings stay as seeded.
import { expect, test } from './support/org.ts';
import { seedFreightPortfolio } from './support/portfolio.ts';

test('the map shows who waits for whom, and what a slip puts at risk', async ({
  baseURL,
  newOrganization,
}, testInfo) => {
  const org = await newOrganization({ people: ['Maya Okafor', 'Jonas Lindqvist', 'Priya Raman', 'Sofia Brandt'] });
  await seedFreightPortfolio(org);
  const page = await org.person('Maya Okafor').signIn();
  await page.goto('/');
  await page.getByRole('link', { name: 'Dependency map' }).click();
  await page.waitForURL(/\/map$/);
  const orgId = /\/orgs\/([^/]+)\/map/.exec(page.url())![1]!;

  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('aria-label', /3 initiatives and 2 dependencies/);
  await expect(page.getByRole('status')).toHaveCount(0); // the layout has finished
  // A wide chain of three takes a canvas its own height, not a tall empty box, and the legend stays in view.
  const viewport = page.viewportSize()!;
  await expect.poll(async () => (await canvas.boundingBox())!.height).toBeLessThan(0.5 * viewport.height);
  const legend = (await page.getByTestId('map-legend').boundingBox())!;
  expect(legend.y + legend.height).toBeLessThanOrEqual(viewport.height);

  await page.getByLabel('Select an initiative').selectOption({ label: 'Handheld scanner rollout' });
  const panel = page.getByTestId('map-panel');
  await expect(panel.getByRole('heading', { name: 'Handheld scanner rollout' })).toBeVisible();
  await expect(panel.getByTestId('impacted')).toContainText('Dispatch API speed-up');
  await expect(panel.getByTestId('impacted')).toContainText('Fleet fuel cost savings');
  // Who owns each end of the dependency, and why it is needed.
  await expect(panel).toContainText('Jonas Lindqvist needs it from Priya Raman');
  await expect(canvas).toHaveAttribute('aria-label', /At risk if it slips: .*Dispatch API speed-up/);
  // Slipping itself, it waits for nothing that slips: no inherited risk.
  await expect(panel.getByTestId('inherited-risk')).toHaveCount(0);

  // Labels are drawn at a readable size; the screenshot is kept with the test results.
  const zoom = Number(await canvas.getAttribute('data-zoom'));
  expect(zoom * 12).toBeGreaterThanOrEqual(10);
  await testInfo.attach('dependency-map', { body: await page.screenshot(), contentType: 'image/png' });

  // Finance's savings wait for IT, which waits for the regions: the chain that decides the key result.
  await page.getByLabel('Select an initiative').selectOption({ label: 'Fleet fuel cost savings' });
  await expect(panel.getByTestId('critical-chain').getByRole('button')).toHaveText([
    'Handheld scanner rollout',
    'Dispatch API speed-up',
    'Fleet fuel cost savings',
  ]);
  // The scanner rollout is at risk, and it reaches finance through IT (issue 19: two edges away, not one).
  const inherited = panel.getByTestId('inherited-risk');
  await expect(inherited).toContainText('At risk through: Handheld scanner rollout → Dispatch API speed-up');
  await expect(inherited).toContainText('Handheld scanner rollout is at risk');
  // Each step is a link to it on the map; a click selects it here.
  await inherited.getByRole('link', { name: 'Dispatch API speed-up' }).click();
  await expect(panel.getByRole('heading', { name: 'Dispatch API speed-up' })).toBeVisible();
  await expect(inherited).toContainText('At risk through: Handheld scanner rollout');
  await expect(inherited.getByRole('link')).toHaveText(['Handheld scanner rollout']);

  // Another initiative shows its own blockers.
  await page.getByLabel('Select an initiative').selectOption({ label: 'Dispatch API speed-up' });
  await expect(canvas).toHaveAttribute('aria-label', /Blocked by: Handheld scanner rollout/);

  // Editing a dependency: a new needed-by date and what is needed.
  await page.getByLabel('Select an initiative').selectOption({ label: 'Dispatch API speed-up' });
  const upstream = panel.getByTestId('dependency').filter({ hasText: 'Handheld scanner rollout' });
  await upstream.getByRole('button', { name: 'Edit' }).click();
  await upstream.getByLabel('What is needed').fill('Door scans in all northern depots');
  await upstream.getByLabel('Needed by').fill('2027-02-01');
  await upstream.getByRole('button', { name: 'Save' }).click();
  await expect(panel).toContainText('Door scans in all northern depots');
  await expect(panel).toContainText('by 2027-02-01');

  // The map follows statuses live: a data source reports the scanner rollout far behind plan.
  const { metrics } = await (await page.request.get(`/api/orgs/${orgId}/metrics`)).json();
  const scanners = metrics.find((m: { name: string }) => m.name === 'Depots with handheld scanners');
  const reading = await page.request.post(`/api/metrics/${scanners.id}/readings`, {
    data: { value: 0, source: 'e2e' },
    headers: { origin: baseURL! },
  });
  expect(reading.ok()).toBe(true);
  await expect(upstream).toContainText('upstream off track');

  // A dependency that would close a loop is refused with its path.
  await page.getByLabel('Select an initiative').selectOption({ label: 'Handheld scanner rollout' });
  await panel
    .getByLabel('Handheld scanner rollout depends on')
    .selectOption({ label: 'Fleet fuel cost savings (Finance)' });
  await panel.getByRole('button', { name: 'Add dependency' }).click();
  await expect(panel.getByRole('alert')).toContainText(
    'closes the cycle Handheld scanner rollout → Fleet fuel cost savings → Dispatch API speed-up → Handheld scanner rollout',
  );
});
