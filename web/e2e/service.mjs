// The service under test: SOUNDLENS_URL when one is already running, else the
// real binary (SOUNDLENS_BIN, default ../build/src/soundlens) started on a
// free port with a temporary data directory and the built page (web/out).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const webDir = resolve(import.meta.dirname, '..');
export const repoDir = resolve(webDir, '..');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitForHealth(url, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`soundlens serve exited with ${child.exitCode}:\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`soundlens did not answer ${url}/health within ${timeoutMs} ms:\n${output.join('')}`);
}

// serveArgs: more `serve` options; prepare(bin, dataDir): run before the server starts (e.g. add users).
export async function startService({ needWeb = true, serveArgs = [], prepare = null } = {}) {
  if (process.env.SOUNDLENS_URL) {
    const url = process.env.SOUNDLENS_URL.replace(/\/+$/, '');
    await waitForHealth(url, null, [], 10_000);
    return { url, stop: async () => {} };
  }
  const bin = resolve(process.env.SOUNDLENS_BIN ?? join(repoDir, 'build', 'src', 'soundlens'));
  if (!existsSync(bin)) {
    throw new Error(`soundlens binary not found at ${bin}: build it, or set SOUNDLENS_BIN or SOUNDLENS_URL`);
  }
  const webOut = join(webDir, 'out');
  if (needWeb && !existsSync(join(webOut, 'index.html'))) throw new Error(`${webOut}/index.html is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'soundlens-e2e-'));
  const port = await freePort();
  const extra = [...(process.env.SOUNDLENS_SERVE_ARGS ?? '').split(' ').filter(Boolean), ...serveArgs];
  if (prepare) await prepare(bin, dataDir);
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--web-dir', webOut, ...extra];
  const output = [];
  const child = spawn(bin, args, { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, output, 120_000);
  } catch (error) {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
