import { asc, eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { organizations, type NewOrganization } from '@/db/schema';

const columns = { id: organizations.id, slug: organizations.slug, name: organizations.name, createdAt: organizations.createdAt };

export async function insertOrganization(db: Tx, values: Pick<NewOrganization, 'slug' | 'name'>) {
  const [row] = await db.insert(organizations).values(values).returning(columns);
  return row!;
}

export async function getOrganizationBySlug(db: Tx, slug: string) {
  const [row] = await db.select(columns).from(organizations).where(eq(organizations.slug, slug));
  return row ?? null;
}

export async function findOrganizations(db: Tx) {
  return db.select(columns).from(organizations).orderBy(asc(organizations.slug));
}

export async function organizationExists(db: Tx, id: string): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return row !== undefined;
}

/** The organization's settings, or null when there is no such organization. */
export async function getOrganizationSettings(db: Tx, organizationId: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, organizationId));
  return row?.settings ?? null;
}

/** The organization's settings (jsonb), locked for the transaction: the read-modify-write of a settings change. */
export async function getOrganizationSettingsForUpdate(db: Tx, organizationId: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, organizationId)).for('update');
  return row?.settings ?? null;
}

export async function setOrganizationSettings(db: Tx, organizationId: string, settings: Record<string, unknown>) {
  await db.update(organizations).set({ settings }).where(eq(organizations.id, organizationId));
}
