import { expect, test } from '../fixtures';
import { oversizedThenNext } from '../../lib/testing/keep-alive-client';
import { MAX_BODY_BYTES } from '../../lib/scim/limits';

/** `next start`'s SCIM route stops reading a body past the cap: its 413 must close the keep-alive connection. */
test('after a 413 the connection is closed, and the client’s next request is answered at once', async () => {
  const { first, second } = await oversizedThenNext(`${process.env.E2E_APP_URL}/api/scim/v2`, { path: '/Users', bytes: 2 * MAX_BODY_BYTES, next: '/Users', timeoutMs: 5000 });
  expect(first).toMatchObject({ status: 413, connection: 'close' });
  expect(second.status).toBe(401);
  expect(second.ms).toBeLessThan(2000);
});
