import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ['node_modules/**', '.next/**', 'out/**', '.unit-build/**', 'next-env.d.ts', 'e2e/screenshots/**'] },
];

export default config;
