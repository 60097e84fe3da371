import { embeddedPort } from '../../db/embedded';

/** Fixed per checkout (the config is evaluated in every worker, so ports can't be random). */
export function e2ePorts() {
  const base = embeddedPort();
  return {
    app: Number(process.env.E2E_APP_PORT ?? base + 2000),
    idp: Number(process.env.E2E_IDP_PORT ?? base + 2600),
    saml: Number(process.env.E2E_SAML_PORT ?? base + 2601),
  };
}
