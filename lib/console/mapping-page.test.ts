import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { explainMapping } from '@/lib/jit/explain-mapping';
import { parseSample } from '@/lib/jit/parse-sample';
import { entraSaml } from '@/lib/jit/testing/mapping-samples';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { mappingFromRows } from './mapping-form';
import { loadMappingPage, saveMapping, saveMappingSchema } from './mapping-page';

const db = testDb();
afterAll(closeTestDb);

const division = 'http://schemas.microsoft.com/identity/claims/division';
const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  return data;
};
const save = (sessionId: string) =>
  defineAdminAction('connections.save_mapping', saveMappingSchema, (input, ctx) => saveMapping(input, ctx), {
    db: () => db,
    gate: () => resolveAdmin(db, sessionId),
    onSignedOut: (): never => {
      throw new Error('signed out');
    },
  });

async function tenant() {
  const { org, connection } = await makeOrganization(db, { protocol: 'saml', issuer: null, clientId: null, claimMapping: { title: 'jobtitle' }, requiredAttributes: ['email', 'department'] });
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  return { org, connection, admin, auditor };
}

describe('the claim mapping page', () => {
  it('loads the defaults, the connection’s own claim names and the required fields; not another organization’s', async () => {
    const t = await tenant();
    const other = await makeOrganization(db);
    const page = (await loadMappingPage(db, t.org.id, t.connection.id))!;
    const row = (f: string) => page.fields.find((x) => x.field === f)!;
    expect(row('title')).toMatchObject({ claims: 'jobtitle', required: false });
    expect(row('department')).toMatchObject({ claims: '', required: true, defaults: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department', 'department', 'urn:oid:2.5.4.11'] });
    expect(await loadMappingPage(db, other.org.id, t.connection.id)).toBeNull();
  });

  it('saves the mapping: audited with before and after; blank rows keep the default; later previews use it', async () => {
    const t = await tenant();
    const r = await save(t.admin.sessionId)(undefined, form({ connectionId: t.connection.id, field: ['department', 'title', 'email', 'extra.costCenter'], claims: [`${division}, department`, '', '', 'costcenter'] }));
    expect(r).toMatchObject({ ok: true, data: { fields: ['title', 'department', 'extra.costCenter'] } });
    const stored = (await getConnectionById(db, t.connection.id))!.claimMapping;
    expect(stored).toEqual({ department: [division, 'department'], 'extra.costCenter': 'costcenter' });
    const [event] = await findAuditEvents(db, t.org.id, { actions: ['connection.mapping_updated'] });
    expect(event).toMatchObject({ targetId: t.connection.id, before: { claimMapping: { title: 'jobtitle' } }, after: { claimMapping: stored }, data: { fields: ['title', 'department', 'extra.costCenter'] } });
    const sample = parseSample(entraSaml);
    if (!sample.ok) throw new Error(sample.message);
    expect(explainMapping(sample.claims, stored, 'saml').fields.find((f) => f.field === 'department')).toMatchObject({ value: 'Research', claim: division, source: 'connection' });
    // The same again: nothing written, nothing audited.
    expect(await save(t.admin.sessionId)(undefined, form({ connectionId: t.connection.id, field: ['department', 'extra.costCenter'], claims: [`${division}, department`, 'costcenter'] }))).toMatchObject({ ok: true, data: { message: 'Nothing changed.' } });
    expect(await findAuditEvents(db, t.org.id, { actions: ['connection.mapping_updated'] })).toHaveLength(1);
  });

  it('refuses unknown fields and bad custom fields on their row, and changes nothing', async () => {
    const t = await tenant();
    const r = await save(t.admin.sessionId)(undefined, form({ connectionId: t.connection.id, field: ['department', 'salary', 'extra.bad name', 'extra.empty'], claims: ['dept', 'pay', 'x', ' '] }));
    expect(r.ok).toBeUndefined();
    expect(Object.keys(r.fieldErrors!).sort()).toEqual(['extra.bad name', 'extra.empty', 'salary']);
    expect(r.fieldErrors!.salary![0]).toMatch(/^Salary: not a field \(one of userName/);
    expect((await getConnectionById(db, t.connection.id))!.claimMapping).toEqual({ title: 'jobtitle' });
    expect(await findAuditEvents(db, t.org.id, { actions: ['connection.mapping_updated'] })).toHaveLength(0);
  });

  it('an auditor is refused, audited; another organization’s connection is not found', async () => {
    const t = await tenant();
    const other = await tenant();
    expect(await save(t.auditor.sessionId)(undefined, form({ connectionId: t.connection.id, field: 'department', claims: 'dept' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect((await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).map((e) => (e.data as { action: string }).action)).toEqual(['connections.save_mapping']);
    expect(await save(t.admin.sessionId)(undefined, form({ connectionId: other.connection.id, field: 'department', claims: 'dept' }))).toEqual({ error: 'No such connection in this organization.' });
    expect((await getConnectionById(db, other.connection.id))!.claimMapping).toEqual({ title: 'jobtitle' });
  });
});

describe('mappingFromRows', () => {
  it('reads comma-separated claim names in order, skips blank rows, refuses a field twice', () => {
    expect(mappingFromRows([{ field: 'email', claims: ' mail , email,' }, { field: 'title', claims: '' }, { field: 'extra.', claims: '' }])).toEqual({ mapping: { email: ['mail', 'email'] }, errors: {} });
    expect(mappingFromRows([{ field: 'extra.a', claims: 'x' }, { field: 'extra.a', claims: 'y' }]).errors).toEqual({ 'extra.a': 'extra.a is listed twice.' });
  });
});
