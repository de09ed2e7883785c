// Restores package-lock.json entries for other platforms' native binaries
// (@next/swc-darwin-arm64, @tailwindcss/oxide-win32-x64-msvc, ...).
//
// Why: the registry mirror on our build machines serves only Linux builds, so
// `npm install` there drops every other platform's optional binary from the
// lock, and `npm ci` then refuses the lock as out of sync. Each restored entry
// carries os/cpu (read off the package name), so npm skips it on a machine it
// does not fit, without fetching it. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const lockPath = join(resolve(import.meta.dirname, '..'), 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony', 'sunos', 'netbsd', 'openbsd', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (cpu === 'wasm32') return { cpu: ['wasm32'] };
  if (!os || !cpu) return null;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') platform.libc = [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'];
  return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) {
      console.warn(`left out ${name}@${spec} (needed by ${path || 'the root'}): platform or version unknown`);
      continue;
    }
    packages[`node_modules/${name}`] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added += 1;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} entries for other platforms to ${lockPath}`);
