'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { saveMapping, saveMappingSchema } from '@/lib/console/mapping-page';

/** The claim mapping page's save (lib/console/mapping-page.ts has the schema and the handler). */
export const saveMappingAction = adminAction('connections.save_mapping', saveMappingSchema, async (input, ctx) => {
  const result = await saveMapping(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
