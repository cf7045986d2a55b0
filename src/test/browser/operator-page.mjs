// Drives the hub's operator page in headless Chromium (Debian's package) for OperatorPageTest:
// waits for a cargo unit on the board, reports the state it first sees, waits for it to be
// RELEASED, opens its timeline, replays a dead letter and retries a parked message with a click,
// and takes a screenshot.
// Usage: node operator-page.mjs <hub base URL> <operator .p12> <declaration reference> <dead letter id> <parked message id> <screenshot.png>
import { chromium } from 'playwright-core';

const [base, pfx, reference, deadLetterId, parkedId, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, // the dev CA is not in Chromium's store; the client certificate is what matters here
    clientCertificates: [{ origin: new URL(base).origin, pfxPath: pfx, passphrase: 'changeit' }],
    viewport: { width: 1500, height: 950 },
  });
  const page = await context.newPage();
  await page.goto(new URL('/operator/', base).href);

  const unit = page.locator(`#board tr[data-reference="${reference}"]`);
  await unit.waitFor({ timeout: 30000 });
  console.log('seen ' + (await unit.locator('.state').textContent()));

  await page.waitForFunction(ref =>
    document.querySelector(`#board tr[data-reference="${ref}"] .state`)?.textContent === 'RELEASED',
    reference, { timeout: 60000 });
  console.log('released');

  await unit.click();
  await page.locator('#timeline tbody tr', { hasText: 'RELEASED' }).first().waitFor({ timeout: 10000 });
  console.log('timeline');

  await page.locator(`#dead-letters tr[data-dead-letter="${deadLetterId}"] button.replay`).click({ timeout: 15000 });
  await page.waitForFunction(id =>
    document.querySelector(`#dead-letters tr[data-dead-letter="${id}"] .status`)?.textContent === 'REPLAYED',
    deadLetterId, { timeout: 30000 });
  console.log('replayed');

  const parked = page.locator(`#parked-messages tr[data-parked-message="${parkedId}"]`);
  await parked.locator('button.retry').click({ timeout: 15000 });
  await parked.waitFor({ state: 'detached', timeout: 30000 });
  console.log('retried');

  await page.locator('#routes tbody tr[data-route="workflow-confirmations"]').waitFor({ timeout: 10000 });
  await page.waitForTimeout(1500); // two readings: the throughput column fills in
  const error = await page.locator('#error').textContent();
  if (error) throw new Error('the page shows an error: ' + error);
  console.log('routes');

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('OK');
} finally {
  await browser.close();
}
