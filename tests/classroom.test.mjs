// The classroom and sharing UI in a real browser (release build, 127.0.0.1, headless Chromium):
// share links, scenario files, presentation mode and speaker notes, the theme, the kubectl
// console, and offline use through the service worker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, drawn, launch, openApp, serveStatic, shot, until } from './helpers.mjs';

// The worker draws each position: read the player once it has.
const stepText = async (page) => {
  await drawn(page);
  return page.locator('.step-count').innerText();
};
const stepNo = async (page) => Number((await stepText(page)).match(/step (\d+) of (\d+)/)[1]);
const stepTotal = async (page) => Number((await stepText(page)).match(/step (\d+) of (\d+)/)[2]);

/** What a viewer sees: both editors, the mode, the step and every node card's text. */
async function screenState(page) {
  return {
    ds: await page.getByLabel('DaemonSet YAML').inputValue(),
    nodes: await page.getByLabel('Nodes YAML').inputValue(),
    mode: await page.locator('input[name="mode"]:checked').evaluate((el) => el.parentElement.textContent),
    step: (await page.locator('.step-count').count()) ? await stepText(page) : 'no player',
    message: (await page.locator('.step-message').count()) ? await page.locator('.step-message').innerText() : '',
    cards: await page.$$eval('[data-node]', (els) => els.map((e) => e.innerText)),
  };
}

/** Opens `url` in a fresh context without waiting for node cards (a bad link shows none). */
async function openBare(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.locator('header.top').waitFor();
  return { page, context, problems };
}

async function consoleRun(page, line) {
  const box = page.getByRole('textbox', { name: 'kubectl console', exact: true });
  const before = await page.locator('.con-cmd').count();
  await box.fill(line);
  await box.press('Enter');
  await until(
    page,
    ([l, n]) => {
      const cmds = document.querySelectorAll('.con-cmd');
      return cmds.length > n && cmds[cmds.length - 1].textContent === `$ ${l}`;
    },
    [line, before],
  );
  await consoleAnswered(page);
}

/** The worker answered every line and Tab sent (the output is not busy). */
async function consoleAnswered(page) {
  await until(page, () => document.querySelector('.console-output')?.getAttribute('aria-busy') === 'false');
}

/** Presses Tab in the console and waits for the completion the worker sends. */
async function consoleTab(page) {
  await page.getByRole('textbox', { name: 'kubectl console', exact: true }).press('Tab');
  await consoleAnswered(page);
}

/** The console's output after the last command typed. */
const lastOutput = (page) =>
  page.evaluate(() => {
    const lines = [...document.querySelectorAll('.con-line')];
    let i = lines.length - 1;
    while (i >= 0 && !lines[i].classList.contains('con-cmd')) i--;
    return lines.slice(i + 1).map((l) => l.textContent).join('\n');
  });

async function playToEnd(page) {
  await until(
    page,
    () => {
      const m = document.querySelector('.step-count')?.textContent.match(/step (\d+) of (\d+)/);
      return m && m[1] === m[2];
    },
    undefined,
    60000,
  );
}

describe('classroom and sharing (release build)', () => {
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

  test('copy a link, open it in a fresh page: the same screen', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page } = app;
    await page.getByText('Legacy (before v1.12)').click();
    await page.locator('button[data-story="cordon"]').click();
    const fwd = page.getByRole('button', { name: 'Step forward', exact: true });
    for (let i = 0; i < 6; i++) await fwd.click();
    assert.equal(await stepNo(page), 7);
    const before = await screenState(page);
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    const box = page.getByRole('textbox', { name: 'Scenario link', exact: true });
    await box.waitFor();
    const link = await box.inputValue();
    assert.ok(link.startsWith(`${server.url}/#v1.`), link);
    assert.equal(await box.getAttribute('readonly'), '');
    await until(page, () => !/Copying/.test(document.querySelector('.share-copied')?.textContent ?? 'Copying'));
    await shot(page, 'classroom-01-share-link');

    const fresh = await openApp(browser, link, { reducedMotion: 'reduce' });
    await until(fresh.page, () => /step \d+ of/.test(document.querySelector('.step-count')?.textContent ?? ''));
    const after = await screenState(fresh.page);
    assert.deepEqual(after, before);
    assert.equal(await fresh.page.locator('input[name="mode"]:checked').evaluate((el) => el.parentElement.textContent.includes('Legacy')), true);
    assert.deepEqual(fresh.problems, []);
    assert.deepEqual(app.problems, []);
    await fresh.context.close();
    await app.context.close();
  });

  test('a damaged, other-version or too long link: a clear message and an empty playground', async () => {
    const good = await openApp(browser, `${server.url}/`);
    await good.page.getByRole('button', { name: 'Copy link', exact: true }).click();
    const link = await good.page.getByRole('textbox', { name: 'Scenario link', exact: true }).inputValue();
    await good.context.close();
    const cases = [
      [link.slice(0, link.length - 40), /damaged/],
      [`${server.url}/#v1.${'A'.repeat(40)}*`, /damaged/],
      [`${server.url}/#v9.AAAA`, /another version/],
      [`${server.url}/#v1.${'A'.repeat(33000)}`, /too long/],
    ];
    for (const [url, want] of cases) {
      const { page, context, problems } = await openBare(browser, url);
      const alert = page.getByRole('alert').filter({ hasText: want });
      await alert.waitFor();
      assert.equal(await page.locator('[data-node]').count(), 0, `${want}: no cards`);
      assert.equal(await page.getByLabel('DaemonSet YAML').inputValue(), '');
      assert.equal(await page.getByLabel('Nodes YAML').inputValue(), '');
      // The rest of the page works: the header, the console, a story button.
      assert.ok(await page.getByRole('button', { name: 'Presentation mode' }).isVisible());
      if (want.source === 'damaged') await shot(page, 'classroom-02-damaged-link');
      assert.deepEqual(problems, [], `${want}`);
      await context.close();
    }
  });

  test('presentation mode: clicker keys step, Escape leaves; light and dark themes', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page } = app;
    const present = page.getByRole('button', { name: 'Presentation mode', exact: true });
    assert.equal(await present.getAttribute('aria-pressed'), 'false');
    await present.click();
    assert.equal(await present.getAttribute('aria-pressed'), 'true');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('presenting')));
    assert.equal(await page.locator('.editors').isVisible(), false, 'editors folded away');
    // A scenario is on (the initial rollout when none was).
    assert.equal(await stepNo(page), 1);
    for (const key of ['ArrowRight', 'PageDown', ' ', 'ArrowDown']) await page.keyboard.press(key);
    assert.equal(await stepNo(page), 5);
    await page.keyboard.press('PageUp');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await stepNo(page), 3);
    const big = await page.locator('.step-message').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(big >= 24, `large step message (${big}px)`);
    await page.getByRole('switch', { name: 'Dark theme' }).uncheck();
    await shot(page, 'classroom-03-presentation-light');
    await page.getByRole('switch', { name: 'Dark theme' }).check();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await shot(page, 'classroom-04-presentation-dark');
    await page.keyboard.press('Escape');
    assert.equal(await present.getAttribute('aria-pressed'), 'false');
    assert.equal(await page.locator('.editors').isVisible(), true);
    assert.equal(await stepNo(page), 3, 'Escape does not move the player');
    await shot(page, 'classroom-05-dark-playground');
    // The theme is remembered.
    await page.reload();
    await page.locator('[data-node]').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.getByRole('switch', { name: 'Dark theme' }).isChecked(), true);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });

  test('the theme follows the system, and broken storage breaks nothing', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new Error('storage denied');
        },
      });
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${server.url}/`);
    await page.locator('[data-node]').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.getByRole('switch', { name: 'Dark theme' }).uncheck();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('speaker notes follow the presenter over a BroadcastChannel', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page, context } = app;
    await page.locator('button[data-story="rollout"]').click();
    const [notes] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Speaker notes', exact: true }).click(),
    ]);
    await notes.waitForLoadState();
    assert.match(notes.url(), /#\/notes$/);
    await until(notes, () => /Step 1 of \d+/.test(document.querySelector('.notes-step')?.textContent ?? ''));
    const total = await stepTotal(page);
    await page.locator('#player-title').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await until(notes, (t) => document.querySelector('.notes-step')?.textContent === `Step 3 of ${t}`, total);
    // The step's text comes with the worker's frame for it (the notes get it then too).
    await drawn(page);
    const now = await page.locator('.step-message').innerText();
    await until(notes, (m) => document.querySelector('.notes-current')?.textContent === m, now);
    assert.equal(await notes.locator('.notes-current').innerText(), now);
    assert.match(await notes.locator('.notes-next').innerText(), /t=\d+/);
    assert.equal(await notes.locator('.notes-text').innerText(), 'No lesson on screen.');
    await notes.getByRole('button', { name: 'Next step' }).click();
    await until(page, () => document.querySelector('.step-count').textContent.startsWith('step 4 '));
    await shot(notes, 'classroom-06-speaker-notes');
    assert.deepEqual(app.problems, []);
    await context.close();
  });

  test('kubectl console: cordon, set image, rollout status, rollout undo', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page } = app;
    const box = page.getByRole('textbox', { name: 'kubectl console', exact: true });
    const out = page.getByRole('log', { name: 'Console output' });
    assert.equal(await out.getAttribute('role'), 'log');

    await consoleRun(page, 'kubectl get nodes');
    assert.match(await lastOutput(page), /Started the "Initial rollout" story/);
    assert.match(await lastOutput(page), /NAME\s+STATUS\s+ROLES/);
    assert.match(await lastOutput(page), /worker-1\s+Ready/);
    assert.equal(await stepNo(page), await stepTotal(page), 'at the settled end of the rollout');
    assert.equal(await out.evaluate((el) => getComputedStyle(el).fontFamily.includes('mono')), true);
    await page.getByLabel('Speed').selectOption('4');

    // Errors come with the core's hint.
    await consoleRun(page, 'drain worker-2');
    assert.match(await lastOutput(page), /cannot delete DaemonSet-managed Pods[\s\S]*hint: drain never evicts DaemonSet pods/);
    await consoleRun(page, 'kubectl getx pods');
    assert.match(await lastOutput(page), /unknown command "getx"[\s\S]*did you mean "get"/);

    // Tab completion: one candidate completes, several are listed.
    await box.fill('cord');
    await consoleTab(page);
    assert.equal(await box.inputValue(), 'cordon ');
    await box.fill('cordon w');
    await consoleTab(page);
    assert.equal(await box.inputValue(), 'cordon worker-');
    await consoleTab(page);
    assert.match(await page.locator('.con-info').last().innerText(), /worker-1\s+worker-2/);
    await consoleRun(page, 'cordon worker-1');
    assert.match(await lastOutput(page), /node\/worker-1 cordoned/);
    await playToEnd(page);
    assert.ok(await page.locator('[data-node="worker-1"]').evaluate((el) => el.classList.contains('cordoned')));
    assert.match(await page.locator('[data-node="worker-1"]').innerText(), /Running/);

    const before = await stepTotal(page);
    await consoleRun(page, 'kubectl set image daemonset/fluent-bit fluent-bit=cr.fluentbit.io/fluent/fluent-bit:3.2.0 -n logging');
    assert.match(await lastOutput(page), /daemonset.apps\/fluent-bit image updated/);
    assert.ok((await stepTotal(page)) > before, 'the update adds steps');
    // The player plays through the new steps from where the command was typed.
    await until(page, (b) => Number(document.querySelector('.step-count').textContent.match(/step (\d+)/)[1]) > b, before);
    await consoleRun(page, 'rollout status daemonset/fluent-bit -n logging');
    const watching = await lastOutput(page);
    assert.match(watching, /Waiting for daemon set|successfully rolled out/);
    await playToEnd(page);
    await shot(page, 'classroom-07-console-rolled-out');
    await consoleRun(page, 'rollout status daemonset/fluent-bit -n logging');
    assert.match(await lastOutput(page), /daemon set "fluent-bit" successfully rolled out/);
    for (const n of ['worker-1', 'worker-2']) {
      assert.match(await page.locator(`[data-node="${n}"]`).innerText(), /Running[\s\S]*rev 2/, n);
    }
    await consoleRun(page, 'get pods -n logging -o wide');
    assert.match(await lastOutput(page), /fluent-bit-\S+\s+1\/1\s+Running\s+0\s+\S+\s+<none>\s+worker-1/);

    await consoleRun(page, 'kubectl rollout undo daemonset/fluent-bit -n logging');
    assert.match(await lastOutput(page), /daemonset.apps\/fluent-bit rolled back/);
    await playToEnd(page);
    for (const n of ['worker-1', 'worker-2']) {
      const text = await page.locator(`[data-node="${n}"]`).innerText();
      assert.match(text, /Running/, n);
      assert.doesNotMatch(text, /rev 2/, n);
    }
    await consoleRun(page, 'rollout history daemonset/fluent-bit -n logging');
    assert.match(await lastOutput(page), /REVISION/);
    await consoleRun(page, 'describe node worker-1');
    assert.match(await lastOutput(page), /Unschedulable:\s+true/);
    await shot(page, 'classroom-08-console-session');

    // History: Up brings back earlier commands, Down goes back to the new line.
    await box.press('ArrowUp');
    assert.equal(await box.inputValue(), 'describe node worker-1');
    await box.press('ArrowUp');
    assert.equal(await box.inputValue(), 'rollout history daemonset/fluent-bit -n logging');
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    assert.equal(await box.inputValue(), '');
    await consoleRun(page, 'help');
    assert.match(await lastOutput(page), /kubectl drain NODE --ignore-daemonsets/);
    await box.fill('clear');
    await box.press('Enter');
    assert.equal(await page.locator('.con-line').count(), 0);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });

  test('a console command in the middle of a story plays from the step on screen', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page } = app;
    await page.locator('button[data-story="drain"]').click();
    const fwd = page.getByRole('button', { name: 'Step forward', exact: true });
    for (let i = 0; i < 3; i++) await fwd.click();
    assert.equal(await stepNo(page), 4);
    const cardsBefore = await page.$$eval('[data-node]', (els) => els.map((e) => e.innerText));
    await consoleRun(page, 'cordon worker-2');
    const out = await lastOutput(page);
    assert.match(out, /node\/worker-2 cordoned/);
    assert.match(out, /later event\(s\) of the timeline dropped/);
    // The steps already seen stay; the player goes on from step 4.
    await page.getByRole('button', { name: 'Pause', exact: true }).click().catch(() => {});
    const now = await stepNo(page);
    assert.ok(now >= 4, `from step 4 on (${now})`);
    await page.getByLabel('Timeline').fill('3');
    await until(page, () => document.querySelector('.step-count').textContent.startsWith('step 4 '));
    assert.deepEqual(await page.$$eval('[data-node]', (els) => els.map((e) => e.innerText)), cardsBefore);
    await page.getByLabel('Timeline').fill(String((await stepTotal(page)) - 1));
    await until(page, () => {
      const m = document.querySelector('.step-count').textContent.match(/step (\d+) of (\d+)/);
      return m[1] === m[2];
    });
    assert.ok(await page.locator('[data-node="worker-2"]').evaluate((el) => el.classList.contains('cordoned')));
    assert.equal(
      await page.locator('[data-node="worker-1"]').evaluate((el) => el.classList.contains('cordoned')),
      false,
      'the story\'s drain of worker-1 came later: dropped',
    );
    assert.match(await page.locator('.cluster').innerText(), /Node drained \+ kubectl/);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });

  test('export a scenario file, import it back; a bad file shows the line and column', async () => {
    const app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
    const { page } = app;
    await page.locator('button[data-story="taint"]').click();
    await page.getByLabel('Timeline').fill(String((await stepTotal(page)) - 1));
    await consoleRun(page, 'label nodes worker-2 tier=edge');
    const total = await stepTotal(page);
    const exportFile = async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export YAML', exact: true }).click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
    };
    const first = await exportFile();
    assert.match(first.name, /\.yaml$/);
    assert.match(first.text, /^title: /m);
    assert.match(first.text, /action: taint/);
    assert.match(first.text, /action: label/);
    assert.match(first.text, /tier: edge/);
    // Something else on screen, then the file back.
    await page.getByRole('button', { name: 'Back to the verdicts' }).click();
    await page.getByLabel(/Import a scenario file/).setInputFiles(first.path);
    await page.getByRole('status').filter({ hasText: /Imported/ }).waitFor();
    assert.equal(await stepNo(page), 1);
    assert.equal(await stepTotal(page), total, 'the same timeline');
    await page.getByLabel('Timeline').fill(String(total - 1));
    await until(page, (t) => document.querySelector('.step-count').textContent.startsWith(`step ${t} `), total);
    assert.match(await page.locator('[data-node="worker-2"]').innerText(), /tier=edge/);
    const second = await exportFile();
    assert.equal(second.text, first.text, 'export → import → export is stable');

    const cards = await page.$$eval('[data-node]', (els) => els.map((e) => e.innerText));
    await page.getByLabel(/Import a scenario file/).setInputFiles({
      name: 'broken.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(first.text.replace('events:\n', 'events:\n- {action: fly-away, node: worker-1}\n')),
    });
    const alert = page.getByRole('alert').filter({ hasText: /broken\.yaml:\d+:\d+/ });
    await alert.waitFor();
    assert.match(await alert.innerText(), /fly-away/);
    await shot(page, 'classroom-09-import-error');
    // The playground keeps working.
    assert.deepEqual(await page.$$eval('[data-node]', (els) => els.map((e) => e.innerText)), cards);
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    assert.equal(await stepNo(page), total - 1);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });

  test('offline: after "Offline ready", a reload without network still renders', async () => {
    const app = await openApp(browser, `${server.url}/`);
    const { page, context } = app;
    await page.getByRole('status').filter({ hasText: 'Offline ready' }).waitFor({ timeout: 30000 });
    await context.setOffline(true);
    const offline = await page.evaluate(() => fetch(`/not-cached-${Date.now()}.txt`).then(() => 'reached', () => 'offline'));
    assert.equal(offline, 'offline', 'the network is really off');
    await page.reload();
    await page.locator('[data-node]').first().waitFor();
    assert.equal(await page.locator('[data-node]').count(), 3);
    await page.getByRole('status').filter({ hasText: 'Offline ready' }).waitFor({ timeout: 30000 });
    await shot(page, 'classroom-10-offline');
    await context.setOffline(false);
    assert.deepEqual(app.problems.filter((p) => !/^console: Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)$/.test(p)), []);
    await context.close();
  });

  test('offline lessons: the lesson files, fetched once online, open without network', async () => {
    const app = await openApp(browser, `${server.url}/`);
    const { page, context } = app;
    await page.getByRole('status').filter({ hasText: 'Offline ready' }).waitFor({ timeout: 30000 });
    // Lessons are static files beside the app, not compiled into it: a sentence of a lesson body
    // is not in the wasm.
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.endsWith('.wasm')));
    const bytes = Buffer.from(await (await fetch(wasm)).arrayBuffer());
    const body = readFileSync(join(ROOT, 'lessons', '11-kube-proxy-and-calico.md'), 'utf8');
    const sentence = 'Every cluster runs a few DaemonSets it cannot live without';
    assert.ok(body.includes(sentence), 'the sentence is in the lesson file');
    assert.equal(bytes.indexOf(sentence), -1, 'and not in the wasm');
    // "Offline ready" means the service worker keeps every lesson file too.
    const count = readdirSync(join(ROOT, 'lessons')).filter((f) => /^\d\d-.*\.md$/.test(f)).length;
    const kept = await page.evaluate(async () => {
      let n = 0;
      for (const k of await caches.keys()) {
        n += (await (await caches.open(k)).keys()).filter((r) => /\/lessons\/\d\d-.*\.md$/.test(r.url)).length;
      }
      return n;
    });
    assert.equal(kept, count, 'every lesson file is kept by the service worker');
    await page.locator('.site-nav').getByRole('link', { name: 'Lessons' }).click();
    await page.locator('.lesson-item').first().waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.locator('.lesson-item').first().waitFor();
    // The last lesson, never opened in this page: its body, quiz and scenario come from the cache.
    const last = await page.locator('.lesson-item').last().getAttribute('data-lesson');
    await page.locator('.lesson-item').last().getByRole('link').click();
    await page.locator(`.lesson-page[data-lesson="${last}"] .lesson-body h2`).first().waitFor();
    assert.ok((await page.locator('[data-question]').count()) > 0);
    await page.locator('.lesson-live [data-node]').first().waitFor();
    await shot(page, 'classroom-11-offline-lesson');
    await context.setOffline(false);
    assert.deepEqual(app.problems.filter((p) => !/^console: Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)$/.test(p)), []);
    await context.close();
  });

  test('offline under a GitHub Pages sub-path (/daemonset-lab/)', async (t) => {
    const site = join(ROOT, 'target', 'pages-site');
    if (!existsSync(join(site, 'daemonset-lab', 'sw.js'))) {
      t.skip('no sub-path build (scripts/test makes it in target/pages-site)');
      return;
    }
    const sub = await serveStatic(site);
    try {
      const app = await openApp(browser, `${sub.url}/daemonset-lab/`);
      const { page, context } = app;
      await page.getByRole('status').filter({ hasText: 'Offline ready' }).waitFor({ timeout: 30000 });
      const scope = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.scope));
      assert.equal(scope, `${sub.url}/daemonset-lab/`);
      await page.getByRole('button', { name: 'Copy link', exact: true }).click();
      const link = await page.getByRole('textbox', { name: 'Scenario link', exact: true }).inputValue();
      assert.ok(link.startsWith(`${sub.url}/daemonset-lab/#v1.`), link);
      await context.setOffline(true);
      // A new page in the same browser, without network: the worker serves the app and the link.
      const again = await context.newPage();
      again.on('pageerror', (e) => app.problems.push(`pageerror: ${e.message}`));
      await again.goto(link);
      await again.locator('[data-node]').first().waitFor();
      assert.equal(await again.locator('[data-node]').count(), 3);
      assert.match(await again.getByLabel('DaemonSet YAML').inputValue(), /name: fluent-bit/);
      await context.setOffline(false);
      assert.deepEqual(app.problems.filter((p) => !/^console: Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)$/.test(p)), []);
      await context.close();
    } finally {
      await sub.close();
    }
  });
});
