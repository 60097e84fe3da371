import { randomUUID } from 'node:crypto';
import { expect, test } from '../fixtures';
import { createConsoleTenant, type ConsoleTenant } from '../fixtures/console-tenant';

/**
 * Hand-edited console URLs: a path segment or query value PostgreSQL cannot take (U+0000), a
 * malformed percent-escape, an offset past bigint, a cursor that is not one. Each answers the page
 * (the bad value dropped), a 404, or a 400 (a malformed escape; an export's bad filter, named) —
 * never a 500 or the console's error boundary.
 * Signed in as the tenant's admin, in Chromium (the exports through the page's request context).
 */
let tenant: ConsoleTenant;
test.beforeAll(async () => {
  tenant = await createConsoleTenant({ accounts: 3 });
});
test.afterAll(() => tenant.close());

const NUL = '%00';
const HUGE = '1e30';
const MALFORMED = '%E0%A4%A';

const pages = () => {
  const uuid = randomUUID();
  return [
    `/admin/accounts?q=${NUL}`,
    `/admin/accounts/${NUL}`,
    `/admin/accounts/${uuid}`,
    `/admin/audit?q=${NUL}&actor=${NUL}&after=${NUL}`,
    `/admin/jobs?job=${NUL}&status=${NUL}&older=${NUL}`,
    `/admin/jobs/${NUL}`,
    `/admin/reconciliation?older=${NUL}`,
    `/admin/reconciliation?older=${HUGE}`,
    `/admin/reconciliation/runs/${NUL}`,
    `/admin/reconciliation/runs/${uuid}?category=${NUL}&after=${NUL}`,
    `/admin/scim?outcome=${NUL}`,
    `/admin/dormancy?group=${NUL}&after=${NUL}`,
    `/admin/dormancy?after=${HUGE}`,
    `/admin/roles/${NUL}`,
    `/admin/roles/member?offset=${HUGE}`,
    `/admin/rules/${NUL}`,
    `/admin/groups/${NUL}`,
    `/admin/groups/${uuid}?offset=${HUGE}`,
    `/admin/groups/sign-in/${NUL}`,
    `/admin/groups/sign-in/oncall?offset=${HUGE}`,
    `/admin/connections/${NUL}`,
    `/admin/connections/${tenant.connectionId}?tab=${NUL}`,
    `/admin/connections/${NUL}/mapping`,
    `/admin/connections/${tenant.connectionId}/test/${NUL}`,
    `/login?returnTo=${NUL}`,
    `/login/error?reason=${NUL}&error=${NUL}`,
    `/sso/${tenant.connectionId}?login_hint=${NUL}&returnTo=${NUL}`,
  ];
};

test('hand-edited console URLs answer a page or a 404, never an error', async ({ page }) => {
  await tenant.signIn(page.context(), 'admin');
  const failed: string[] = [];
  for (const url of pages()) {
    // A streamed page answers 200 before it fails: the error shows in its error boundary, so the
    // check is in the browser, after the page has settled, as well as on the status.
    const res = await page.goto(url, { waitUntil: 'networkidle' });
    const broken = await page.getByText('This page could not be loaded').count();
    if (!res || res.status() >= 500 || broken > 0) failed.push(`${url} → ${res?.status() ?? 'no response'}${broken ? ', error boundary' : ''}`);
  }
  expect(failed).toEqual([]);
});

test('a path with a malformed percent-escape is a 400 page (Next answered a bare 500)', async ({ page }) => {
  await tenant.signIn(page.context(), 'admin');
  for (const url of [`/admin/roles/${MALFORMED}`, `/admin/groups/sign-in/${MALFORMED}`, `/admin/accounts/${MALFORMED}`, `/sso/${MALFORMED}`]) {
    const res = await page.goto(url);
    expect([url, res?.status()]).toEqual([url, 400]);
    await expect(page.getByRole('heading', { name: 'Bad request' })).toBeVisible();
  }
});

test('the CSV exports refuse a value PostgreSQL cannot take with a 400 that names it', async ({ page }) => {
  await tenant.signIn(page.context(), 'admin');
  for (const url of [`/admin/accounts/export?q=${NUL}`, `/admin/audit/export?q=${NUL}`]) {
    const res = await page.request.get(url, { maxRedirects: 0 });
    expect([url, res.status()]).toEqual([url, 400]);
    expect(await res.text()).toContain('q=');
  }
});
