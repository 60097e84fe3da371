import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataUrlProblem } from './config';
import { fetchSamlMetadata, metadataFetchFailure } from './fetch-metadata';

/** A real local HTTP server answering each path its own way (the failures an IdP's metadata URL can have). */
let server: Server;
let base = '';
const hanging = new Set<ServerResponse>();
const xml = '<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') return void res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(xml);
    if (path === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (path === '/away') return void res.writeHead(301, { location: 'http://idp.example.test/metadata' }).end();
    if (path === '/slow') return void hanging.add(res);
    if (path === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
    if (path === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    if (path === '/declared-large') return void res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(2_000_000) }).end();
    if (path === '/streamed-large') {
      // No content-length: chunks until the reader gives up (the cap is checked while reading).
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = `<a>${'x'.repeat(64 * 1024)}</a>`;
      let sent = 0;
      const pump = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent >= 40) res.end();
        else res.once('drain', pump);
      };
      res.on('error', () => undefined);
      return void pump();
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const reason = (url: string, options = {}) =>
  fetchSamlMetadata(url, options).then(
    () => 'fetched',
    (error: unknown) => `${metadataFetchFailure(error)}: ${error instanceof Error ? error.message : ''}`,
  );

describe('metadataUrlProblem', () => {
  it.each([
    ['https://login.microsoftonline.com/t/federationmetadata/2007-06/federationmetadata.xml', null],
    ['http://127.0.0.1:8080/metadata', null],
    ['http://localhost/metadata', null],
    ['http://idp.example.test/metadata', 'must be an https URL (plain http only to 127.0.0.1 or localhost)'],
    ['ftp://idp.example.test/metadata', 'must be an https URL (plain http only to 127.0.0.1 or localhost)'],
    ['https://user:pw@idp.example.test/metadata', 'must not carry a user name or password'],
    ['idp.example.test/metadata', 'must be an absolute https URL'],
  ])('%s', (url, problem) => {
    expect(metadataUrlProblem(url)).toBe(problem);
  });
});

describe('fetchSamlMetadata (a real local server)', () => {
  it('answers the document, following a redirect on the same terms', async () => {
    expect(await fetchSamlMetadata(`${base}/ok`)).toBe(xml);
    expect(await fetchSamlMetadata(`${base}/redirect`)).toBe(xml);
  });

  it('refuses each failure with its reason and a readable message', async () => {
    expect(await reason(`${base}/missing`)).toBe(`http_status: Metadata URL: ${base}/missing answered 404 Not Found.`);
    expect(await reason(`${base}/loop`)).toBe(`too_many_redirects: Metadata URL: ${base}/loop redirected more than 3 times.`);
    expect(await reason(`${base}/away`)).toMatch(/^bad_url: Metadata URL: it redirected to http:\/\/idp\.example\.test\/metadata, which must be an https URL/);
    expect(await reason(`${base}/slow`, { timeoutMs: 300 })).toBe(`timeout: Metadata URL: ${base}/slow did not answer within 300 ms.`);
    expect(await reason(`${base}/html`)).toMatch(/^not_xml: Metadata URL: .* answered text\/html, not XML metadata/);
    expect(await reason(`${base}/text`)).toBe(`not_xml: Metadata URL: ${base}/text did not answer an XML document.`);
    expect(await reason(`${base}/declared-large`)).toBe(`too_large: Metadata URL: ${base}/declared-large answered a document larger than 1 MiB.`);
    expect(await reason(`${base}/streamed-large`)).toBe(`too_large: Metadata URL: ${base}/streamed-large answered a document larger than 1 MiB.`);
    expect(await reason('http://idp.example.test/metadata')).toMatch(/^bad_url: /);
  });

  it('says when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await reason(`http://127.0.0.1:${port}/metadata`)).toBe(`unreachable: Metadata URL: http://127.0.0.1:${port}/metadata could not be reached (ECONNREFUSED).`);
  });
});
