import type { NextConfig } from 'next';

// Static export: `next build` writes out/, which `soundlens serve --web-dir` serves at /.
const nextConfig: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
