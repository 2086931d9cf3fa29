// A panic never leaves a blank page: the app shows what failed (the self-test URL panics on
// purpose after start-up).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, launch, serveStatic, shot } from './helpers.mjs';

describe('failure display', () => {
  let server;
  let browser;

  before(async () => {
    server = await serveStatic(join(ROOT, 'dist'));
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a panic shows a banner saying what failed, and the page keeps its content', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/#selftest-panic`);
    const banner = page.locator('.fatal[role="alert"]');
    await banner.waitFor({ timeout: 10000 });
    const text = await banner.innerText();
    assert.match(text, /internal error/);
    assert.match(text, /self-test panic/);
    assert.ok((await page.locator('[data-node]').count()) > 0, 'the cluster is still on the page');
    assert.ok(errors.some((e) => /self-test panic/.test(e)), 'console_error_panic_hook logged it');
    await shot(page, '11-panic-banner');
    await context.close();
  });
});
