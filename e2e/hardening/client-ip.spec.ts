import { expect, test } from '../fixtures';
import { rosterCli } from '../fixtures/roster-cli';

/**
 * The audit trail's IP is the socket peer (recorded by the launcher's preload, as in `npm start`),
 * not what the client writes into X-Forwarded-For or into the peer header itself: the e2e app
 * runs with no ROSTER_TRUSTED_PROXIES.
 */
test('a SCIM push claiming another address through X-Forwarded-For is audited with its real one', async ({ request }) => {
  const { token, baseUrl } = (await rosterCli('scim-token', 'create', '--org', 'acme', '--name', 'e2e client ip')) as { token: string; baseUrl: string };
  const created = await request.post(`${baseUrl}/Users`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'x-forwarded-for': '203.0.113.66', 'x-roster-peer-address': '198.51.100.9' },
    data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ip-check@acme.test' },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const events = (await rosterCli('audit', 'list', '--org', 'acme', '--account', id)) as { ip: string | null; actorType: string }[];
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) expect(event).toMatchObject({ actorType: 'scim', ip: '127.0.0.1' });
});
