// Debian's Chromium driven by playwright-core: never a downloaded browser.
// The fake media stream stands in for a microphone (a beeping test tone).
import { chromium } from 'playwright-core';

// extraArgs: more Chromium switches, e.g. --use-file-for-fake-audio-capture=FILE.wav (a real recording as the microphone).
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}
