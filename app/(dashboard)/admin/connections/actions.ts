'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import {
  createOidcConnection,
  createOidcSchema,
  createSamlConnection,
  createSamlSchema,
  deleteConnectionFromForm,
  deleteSchema,
  refreshMetadataFromForm,
  refreshMetadataSchema,
  toggleConnection,
  toggleSchema,
  updateConnectionFromForm,
  updateSchema,
} from '@/lib/console/connection-actions';

/** The connection pages' server actions (lib/console/connection-actions.ts has the schemas and handlers). */
const done = <T>(result: T) => {
  revalidatePath('/admin', 'layout');
  return result;
};

export const createOidcAction = adminAction('connections.create_oidc', createOidcSchema, async (input, ctx) => done(await createOidcConnection(input, ctx)));
export const createSamlAction = adminAction('connections.create_saml', createSamlSchema, async (input, ctx) => done(await createSamlConnection(input, ctx)));
export const updateConnectionAction = adminAction('connections.update', updateSchema, async (input, ctx) => done(await updateConnectionFromForm(input, ctx)));
export const toggleConnectionAction = adminAction('connections.toggle', toggleSchema, async (input, ctx) => done(await toggleConnection(input, ctx)));
export const deleteConnectionAction = adminAction('connections.delete', deleteSchema, async (input, ctx) => done(await deleteConnectionFromForm(input, ctx)));
export const refreshMetadataAction = adminAction('connections.refresh_metadata', refreshMetadataSchema, async (input, ctx) => done(await refreshMetadataFromForm(input, ctx)));
