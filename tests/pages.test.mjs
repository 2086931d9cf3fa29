// The GitHub Pages build (--public-url /daemonset-lab/) loads when served under that sub-path.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, launch, openApp, serveStatic, shot } from './helpers.mjs';

describe('GitHub Pages project site', () => {
  let server;
  let browser;

  before(async () => {
    // scripts/test builds into target/pages-site/daemonset-lab with --public-url /daemonset-lab/
    server = await serveStatic(join(ROOT, 'target', 'pages-site'));
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the app loads and renders under /daemonset-lab/', async () => {
    const app = await openApp(browser, `${server.url}/daemonset-lab/`);
    assert.equal(await app.page.locator('[data-node]').count(), 3);
    await shot(app.page, '06-pages-subpath');
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });
});
