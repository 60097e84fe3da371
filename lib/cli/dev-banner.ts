import { DEMO_PASSWORD, DEMO_USERS } from '@/lib/demo-idp';

/** What `npm run dev` started for the demo tenant. */
export type DemoServers = { idpIssuer: string; samlIdpUrl: string; samlConnectionId: string | null };

export type BannerInput = {
  production: boolean;
  appUrl: string;
  demo: DemoServers | null;
  database: { embedded: true; port: number } | { embedded: false; url: string };
  generatedSecrets: string[];
};

const row = (label: string, value: string) => `  ${label.padEnd(12)}${value}`;

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}

export function formatBanner(b: BannerInput): string {
  const lines = ['', `  Roster (${b.production ? 'production' : 'development'})`, row('App', b.appUrl)];
  if (b.demo) {
    const { idpIssuer, samlIdpUrl, samlConnectionId } = b.demo;
    const users = DEMO_USERS.map((u) => `${u.username} (${u.department}${u.groups.includes('roster-admins') ? ', Roster admin' : ''})`);
    const samlSignIn = samlConnectionId ? `; sign in at ${b.appUrl}/sso/${samlConnectionId}` : '';
    lines.push(
      row('Demo IdP', `${idpIssuer}  — OIDC, organization "acme", connection "Acme Demo IdP"`),
      row('SAML IdP', `${samlIdpUrl}/saml/metadata  — SAML 2.0, connection "Acme Demo SAML"${samlSignIn}`),
      row('Demo users', users.join(', ')),
      row('Password', `"${DEMO_PASSWORD}" for every demo user`),
      row('Demo admin', `PATCH ${idpIssuer}/demo/users/<username> to change a user's claims (for both IdPs)`),
    );
  }
  lines.push(
    row('Database', b.database.embedded ? `embedded PostgreSQL at .roster/postgres (127.0.0.1:${b.database.port}, database "roster")` : redact(b.database.url)),
  );
  if (b.generatedSecrets.length > 0) lines.push(row('Secrets', `generated ${b.generatedSecrets.join(', ')} into .env.local (gitignored)`));
  lines.push('');
  return lines.join('\n');
}
