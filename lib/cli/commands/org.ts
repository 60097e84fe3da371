import { findOrganizations, getOrganizationBySlug, insertOrganization } from '@/db/queries/organizations';
import { recordEvent } from '@/lib/audit/record-event';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { UsageError, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { cliActor } from '../resolve';

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const create: Command = {
  name: 'org create',
  summary: 'Create an organization',
  usage: [['--slug <slug>', 'lowercase letters, digits and hyphens (acme, acme-eu)'], ['--name <name>', 'display name ("Acme Corp")']],
  options: { slug: { type: 'string' }, name: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'slug');
    const name = requiredString(values, 'name');
    if (!slugPattern.test(slug) || slug.length > 63) {
      throw new UsageError('--slug must be lowercase letters, digits and single hyphens, at most 63 characters (e.g. acme-corp)');
    }
    const conflict = () => new AppError('conflict', `organization ${slug} already exists`);
    return async ({ db }) => {
      if (await getOrganizationBySlug(db, slug)) throw conflict();
      const org = await db
        .transaction(async (tx) => {
          const row = await insertOrganization(tx, { slug, name });
          await recordEvent(tx, {
            organizationId: row.id,
            actor: cliActor(),
            action: 'organization.created',
            target: { type: 'organization', id: row.id },
            after: { slug, name },
          });
          return row;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? conflict() : error;
        });
      return {
        data: org,
        text: `Created organization ${org.slug}\n${details([
          ['id', org.id],
          ['name', org.name],
        ])}`,
      };
    };
  },
};

const list: Command = {
  name: 'org list',
  summary: 'List organizations',
  usage: [],
  options: {},
  prepare: () => async ({ db }) => {
    const orgs = await findOrganizations(db);
    return {
      data: orgs,
      text: table(orgs, [
        ['SLUG', (o) => o.slug],
        ['NAME', (o) => o.name],
        ['ID', (o) => o.id],
        ['CREATED', (o) => o.createdAt],
      ], '(no organizations yet: roster org create --slug acme --name "Acme Corp")'),
    };
  },
};

export const orgCommands = [create, list];
