export { startDemoIdp, type DemoIdp, type DemoIdpOptions } from './start-demo-idp';
export type { DemoClient } from './provider';
export { DEMO_CLIENT_ID, DEMO_PASSWORD, DEMO_USERS, DemoDirectory, toClaims, type DemoUser, type DemoUserPatch } from './users';
export { startDemoSamlIdp, type DemoSamlIdp, type DemoSamlIdpOptions } from './saml/start-demo-saml-idp';
