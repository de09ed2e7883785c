// Every page of the built app in Debian's Chromium under the server's
// Content-Security-Policy (scripts: this origin and the page's own inline
// scripts by hash, no 'unsafe-inline'): no violation is reported and the app
// starts (Next.js has hydrated it). Run with `npm run e2e`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { startService } from './service.mjs';

let service;
let browser;

before(async () => {
  service = await startService();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

for (const path of ['/', '/history', '/compare', '/compare-models', '/docs']) {
  test(`${path}: no Content-Security-Policy violation, and the page runs`, async () => {
    const page = await browser.newPage();
    const violations = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} ${e.sample ?? ''}`));
    });
    const response = await page.goto(`${service.url}${path}`, { waitUntil: 'networkidle' });
    assert.equal(response.status(), 200);
    const policy = response.headers()['content-security-policy'];
    assert.doesNotMatch(policy.match(/script-src[^;]*/)[0], /'unsafe-inline'/);
    const blocked = async () => [...violations, ...(await page.evaluate(() => window.__cspViolations))];
    assert.deepEqual(await blocked(), [], `violations on ${path}`);
    if (path === '/docs') {
      await page.locator('.swagger-ui .info').waitFor({ timeout: 30_000 });  // Swagger UI rendered the document
    } else {
      // The app router sets window.next once its inline bootstrap has run and React has hydrated the page.
      await page.waitForFunction(() => window.next?.version !== undefined, null, { timeout: 30_000 });
    }
    assert.deepEqual(await blocked(), [], `violations on ${path}`);
    await page.close();
  });
}
