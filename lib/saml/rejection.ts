import type { LoginRefusalReason } from '@/lib/jit/login-refusal';

export type SamlRejectionReason = Extract<LoginRefusalReason, `saml_${string}`>;

/**
 * Why a SAML response was refused. `reason` is audited and decides the page the person sees;
 * `detail` is for the administrator's audit trail only and never contains the posted XML.
 */
export class SamlRejection extends Error {
  constructor(
    readonly reason: SamlRejectionReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'SamlRejection';
  }
}

export function reject(reason: SamlRejectionReason, detail: string): never {
  throw new SamlRejection(reason, detail.slice(0, 300));
}
