import type { Database } from '@/db';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import type { SamlConfig } from '@/lib/saml/config';
import { handleSamlAcs } from '@/lib/saml/handle-acs';
import { buildSamlConnectionConfig } from '@/lib/saml/idp-metadata';
import { spUrls, type SpUrls } from '@/lib/saml/sp-metadata';
import { startSamlLogin } from '@/lib/saml/start-login';
import { generateSigningKey } from '@/lib/saml/testing/keys';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { validateSamlResponse } from '@/lib/saml/validate-response';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { measure } from '../measure';

/**
 * The SAML ACS with real signatures (RSA-2048, RSA-SHA256, assertion signed by samlify):
 * validation alone (prechecks, XML-DSig, assertion checks: CPU only), and the whole ACS against
 * Postgres (validation, replay cache, InResponseTo, JIT repeat login). Responses are signed
 * before the clock starts, so only Roster's side is timed.
 */
const DOMAIN = 'bench.test';
const APP_URL = 'http://localhost:3000';
const context = { sessionMaxAgeSeconds: 3600, ip: '127.0.0.1', userAgent: 'roster-bench' };
const USERS = 50;

type Setup = { idp: TestIdp; connectionId: string; sp: SpUrls; config: SamlConfig };

async function setUp(db: Database): Promise<Setup> {
  const idp = new TestIdp('https://idp.bench.test/saml', 'https://idp.bench.test/saml/sso', await generateSigningKey({ bits: 2048 }));
  const { samlConfig, samlMetadata } = buildSamlConnectionConfig({ metadataXml: idp.metadataXml() });
  const org = await insertOrganization(db, { slug: 'bench-saml', name: 'Bench SAML Corp' });
  const connection = await insertConnection(db, {
    organizationId: org.id,
    name: 'Bench SAML IdP',
    protocol: 'saml',
    samlConfig,
    samlMetadata,
    allowedDomains: [DOMAIN],
  });
  const sp = spUrls(APP_URL, connection.id);
  return { idp, connectionId: connection.id, sp, config: samlConfig };
}

const user = (i: number) => `user${i % USERS}@${DOMAIN}`;
const attributes = (i: number) => ({ firstName: 'Bench', lastName: `User ${i % USERS}`, department: 'Engineering', groups: ['staff', 'everyone'] });

/** One signed response per operation, each answering an AuthnRequest started the way a browser would. */
async function prepareResponses(db: Database, s: Setup, total: number): Promise<{ samlResponse: string; browserBinding: string }[]> {
  const out: { samlResponse: string; browserBinding: string }[] = [];
  for (let i = 0; i < total; i++) {
    const started = await startSamlLogin(db, { connectionId: s.connectionId }, { appUrl: APP_URL });
    if (!started.ok) throw new Error(`bench: login did not start (${started.reason})`);
    const { samlResponse } = await s.idp.createResponse(s.sp, { nameId: user(i), inResponseTo: started.requestId, attributes: attributes(i) });
    out.push({ samlResponse, browserBinding: started.browserBinding });
  }
  return out;
}

async function atConcurrency(ctx: BenchContext, s: Setup, concurrency: number) {
  const { count, warmup } = ctx.options;
  const pool = ctx.connect(concurrency);
  const report = (scenario: string) => (figures: Omit<BenchResult, 'case' | 'scenario'>): BenchResult => {
    ctx.log(`  saml ${scenario.padEnd(28)} c=${String(concurrency).padEnd(3)} ${figures.perSecond} responses/s`);
    return { case: 'saml', scenario, ...figures };
  };
  try {
    ctx.log(`  saml signing ${2 * (count + warmup)} responses for c=${concurrency}…`);
    const forValidation = await prepareResponses(pool.db, s, count + warmup);
    const forAcs = await prepareResponses(pool.db, s, count + warmup);
    const index = (i: number, phase: 'warmup' | 'measure') => (phase === 'warmup' ? count + i : i);
    const validated = await measure({ count, warmup, concurrency }, async (i, phase) => {
      const assertion = await validateSamlResponse(forValidation[index(i, phase)]!.samlResponse, { config: s.config, sp: s.sp });
      if (assertion.subject !== user(index(i, phase))) throw new Error('bench sanity check failed: wrong subject');
    }).then(report('validate signed response'));
    const accepted = await measure({ count, warmup, concurrency }, async (i, phase) => {
      // The browser that started each sign-in posts its response, carrying its binding cookie.
      const { samlResponse, browserBinding } = forAcs[index(i, phase)]!;
      const result = await handleSamlAcs(pool.db, { connectionId: s.connectionId, samlResponse, browserBinding }, { appUrl: APP_URL, context });
      if (!result.ok) throw new Error(`bench sanity check failed: ACS refused (${result.reason})`);
    }).then(report('full ACS + JIT login'));
    return [validated, accepted];
  } finally {
    await pool.close();
  }
}

export const samlCase: BenchCase = {
  name: 'saml',
  description: 'SAML ACS: signed-response validations per second (RSA-2048) and full ACS logins',
  async run(ctx) {
    const setup = ctx.connect(1);
    const s = await setUp(setup.db).finally(setup.close);
    const results: BenchResult[] = [];
    for (const concurrency of ctx.options.concurrencies) results.push(...(await atConcurrency(ctx, s, concurrency)));
    return results;
  },
};
