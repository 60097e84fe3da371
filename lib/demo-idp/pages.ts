import { DEMO_PASSWORD, type DemoUser } from './users';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: string) => value.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; background: #f4f4f5; color: #18181b; margin: 0; }
  main { max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 2rem; box-shadow: 0 1px 3px #0002; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; } p { color: #52525b; margin: .25rem 0 1rem; }
  label { display: block; font-weight: 600; margin-top: .75rem; }
  input { box-sizing: border-box; width: 100%; padding: .5rem; border: 1px solid #d4d4d8; border-radius: 6px; font: inherit; }
  button { margin-top: 1rem; padding: .5rem 1rem; border: 0; border-radius: 6px; font: inherit; cursor: pointer; }
  .primary { background: #18181b; color: #fff; } .link { background: none; color: #52525b; text-decoration: underline; padding-left: 0; }
  table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; font-size: 13px; }
  th, td { text-align: left; padding: .25rem .5rem .25rem 0; border-bottom: 1px solid #e4e4e7; }
  [role=alert] { background: #fef2f2; color: #991b1b; padding: .5rem .75rem; border-radius: 6px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function userTable(users: DemoUser[]): string {
  const rows = users
    .map((u) => `<tr><td><code>${esc(u.username)}</code></td><td>${esc(u.name)}</td><td>${esc(u.department)}</td><td>${esc(u.groups.join(', '))}</td></tr>`)
    .join('');
  return `<table aria-label="Demo users"><thead><tr><th>Username</th><th>Name</th><th>Department</th><th>Groups</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export type LoginPageInput = {
  /** Where the form posts username and password. */
  action: string;
  /** Where the Cancel button posts; no button without one. */
  cancelAction?: string;
  /** The IdP's name in the heading, and who the person signs in to. */
  idpName?: string;
  audience: string;
  users: DemoUser[];
  error?: string;
  username?: string;
};

/** The demo IdPs' sign-in form (OIDC and SAML alike): the labels Username and Password and a Sign in button. */
export function renderLoginPage(p: LoginPageInput): string {
  const idpName = p.idpName ?? 'Acme Demo IdP';
  const error = p.error ? `<p role="alert">${esc(p.error)}</p>` : '';
  const cancel = p.cancelAction ? `<form method="post" action="${esc(p.cancelAction)}"><button type="submit" class="link">Cancel</button></form>` : '';
  return page(
    `Sign in · ${idpName}`,
    `<h1>${esc(idpName)}</h1>
<p>Sign in to continue to <strong>${esc(p.audience)}</strong>. Every demo user's password is <code>${esc(DEMO_PASSWORD)}</code>.</p>
${error}
<form method="post" action="${esc(p.action)}" autocomplete="off">
  <label for="username">Username</label>
  <input id="username" name="username" value="${esc(p.username ?? '')}" required${p.username ? '' : ' autofocus'} autocapitalize="none" spellcheck="false">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required${p.username ? ' autofocus' : ''}>
  <button type="submit" class="primary">Sign in</button>
</form>
${cancel}
${userTable(p.users)}`,
  );
}

export function renderErrorPage(out: Record<string, string>, idpName = 'Acme Demo IdP'): string {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${esc(key)}</dt><dd><code>${esc(String(value))}</code></dd>`)
    .join('');
  return page(`Error · ${idpName}`, `<h1>Something went wrong</h1><dl>${rows}</dl>`);
}

export function renderNotFoundPage(idpName = 'Acme Demo IdP'): string {
  return page(`Not found · ${idpName}`, '<h1>Not found</h1><p>This sign-in request has expired or does not exist. Start again from the app.</p>');
}
