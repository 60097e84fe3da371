import { embeddedPort } from '../../db/embedded';

/** Fixed per checkout (the config is evaluated in every worker, so ports can't be random). */
export function e2ePorts() {
  const base = embeddedPort();
  return {
    app: Number(process.env.E2E_APP_PORT ?? base + 2000),
    /** A second `next start` of the same build, same database and secrets (multi-instance specs). */
    app2: Number(process.env.E2E_APP2_PORT ?? base + 2001),
    idp: Number(process.env.E2E_IDP_PORT ?? base + 2600),
    saml: Number(process.env.E2E_SAML_PORT ?? base + 2601),
  };
}
