// The scenario player in a real browser: stories from the core, play / pause / step / restart,
// keyboard, the kubectl status row and events, and the mode switch replaying the same story.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, drawn, launch, openApp, serveStatic, shot, until } from './helpers.mjs';

describe('scenario player (release build)', () => {
  let server;
  let browser;
  let app;

  before(async () => {
    server = await serveStatic(join(ROOT, 'dist'));
    browser = await launch();
    // Reduced motion: steady screenshots, and the app must honour the setting.
    app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // The worker draws each position: read the player once it has.
  const stepText = async () => {
    await drawn(app.page);
    return app.page.locator('.step-count').innerText();
  };
  const stepNo = async () => Number((await stepText()).match(/step (\d+) of (\d+)/)[1]);
  const stepTotal = async () => Number((await stepText()).match(/step (\d+) of (\d+)/)[2]);
  const phases = async (node) => {
    await drawn(app.page);
    return app.page.$$eval(`[data-node="${node}"] [data-phase]`, (els) => els.map((e) => e.dataset.phase));
  };

  test('initial rollout: stepping forward and back, to the end and restart', async () => {
    const { page } = app;
    await page.locator('button[data-story="rollout"]').click();
    const play = page.getByRole('button', { name: 'Play', exact: true });
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    const fwd = page.getByRole('button', { name: 'Step forward', exact: true });
    const back = page.getByRole('button', { name: 'Step back', exact: true });
    const restart = page.getByRole('button', { name: 'Restart', exact: true });
    await fwd.waitFor();
    assert.equal(await stepNo(), 1);
    const total = await stepTotal();
    assert.ok(total > 5, `the rollout has steps (${total})`);
    // Before the first step: nodes, no pods yet.
    assert.deepEqual(await phases('worker-1'), []);
    await fwd.click();
    await fwd.click();
    assert.equal(await stepNo(), 3);
    assert.match(await page.locator('.step-message').innerText(), /t=\d+/);
    assert.equal(await page.locator('.actor.on').count(), 1);
    await back.click();
    assert.equal(await stepNo(), 2);
    // Jump to the end with the scrubber: every eligible node runs its pod.
    await page.getByLabel('Timeline').fill(String(total - 1));
    await until(page, (t) => document.querySelector('.step-count').textContent.startsWith(`step ${t} `), total);
    assert.deepEqual(await phases('worker-1'), ['Running']);
    assert.deepEqual(await phases('worker-2'), ['Running']);
    assert.deepEqual(await phases('control-plane-1'), []);
    assert.match(await page.locator('[data-node="control-plane-1"]').innerText(), /No pod/);
    const row = await page.locator('.ds-status tbody tr').innerText();
    assert.match(row, /fluent-bit\s+2\s+2\s+2\s+2\s+2/);
    assert.ok((await page.locator('.events-table tbody tr').count()) > 0, 'events listed');
    assert.match(await page.locator('.events-table').innerText(), /SuccessfulCreate|Scheduled|Started|Pulled/);
    await shot(page, '07-rollout-end');
    await restart.click();
    assert.equal(await stepNo(), 1);
    // Play runs by itself; Pause stops it.
    await page.getByLabel('Speed').selectOption('4');
    await play.click();
    await until(page, () => Number(document.querySelector('.step-count').textContent.match(/step (\d+)/)[1]) >= 3);
    await pause.click();
    const stopped = await stepNo();
    await page.waitForTimeout(800);
    assert.equal(await stepNo(), stopped, 'paused');
  });

  test('keyboard: arrows step, space plays and pauses', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await page.locator('#player-title').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await stepNo(), 3);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await stepNo(), 2);
    await page.keyboard.press('Space');
    await until(page, () => Number(document.querySelector('.step-count').textContent.match(/step (\d+)/)[1]) >= 4);
    await page.keyboard.press('Space');
    const s = await stepNo();
    await page.waitForTimeout(700);
    assert.equal(await stepNo(), s);
    // With a button focused (as after a click), the arrows still step.
    await page.getByRole('button', { name: 'Step back', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await stepNo(), s + 1);
    await page.keyboard.press('Home');
    assert.equal(await stepNo(), 1);
  });

  test('pod crashes: the pod goes through CrashLoopBackOff', async () => {
    const { page } = app;
    await page.locator('button[data-story="crash"]').click();
    const total = await stepTotal();
    const seen = new Set();
    for (let i = 0; i < total; i++) {
      await page.getByLabel('Timeline').fill(String(i));
      for (const p of await phases('worker-1')) seen.add(p);
      if (seen.has('CrashLoopBackOff') || seen.has('Error')) break;
    }
    assert.ok(seen.has('Running'), [...seen].join(','));
    assert.ok(seen.has('CrashLoopBackOff') || seen.has('Error'), [...seen].join(','));
    await shot(page, '08-crash');
  });

  test('rolling update with maxSurge: new revision ends on every node', async () => {
    const { page } = app;
    await page.getByLabel('maxUnavailable').fill('0');
    await page.getByLabel('maxSurge').fill('1');
    await page.locator('button[data-story="rolling-update"]').click();
    const total = await stepTotal();
    await page.getByLabel('Timeline').fill(String(total - 1));
    const w1 = await page.locator('[data-node="worker-1"]').innerText();
    assert.match(w1, /rev 2/);
    await shot(page, '09-rolling-update-end');
    // Bad values are reported by the core's validation, not played.
    await page.getByLabel('maxUnavailable').fill('0');
    await page.getByLabel('maxSurge').fill('0');
    await page.locator('button[data-story="rolling-update"]').click();
    assert.match(await until(page, () => document.querySelector('.player-error')?.textContent), /max/i);
    await page.getByLabel('maxSurge').fill('lots');
    await page.locator('button[data-story="rolling-update"]').click();
    const err = await until(page, () => document.querySelector('.player-error')?.textContent);
    assert.match(err, /maxSurge/);
    await page.getByLabel('maxSurge').fill('0');
  });

  test('the mode switch replays the same story in legacy mode', async () => {
    const { page } = app;
    await page.locator('button[data-story="node-joins"]').click();
    const currentTotal = await stepTotal();
    const currentActors = await page.evaluate(() => document.querySelector('.pipeline').textContent);
    await page.getByRole('radio', { name: /Legacy/ }).check();
    await until(page, () => document.querySelector('.actor-note')?.textContent.includes('bypassed'));
    const legacyTotal = await stepTotal();
    await page.getByLabel('Timeline').fill(String(legacyTotal - 1));
    assert.deepEqual(await phases('node-joining'), ['Running']);
    // Legacy: the scheduler never acts.
    const actors = [];
    for (let i = 0; i < legacyTotal; i += 1) {
      await page.getByLabel('Timeline').fill(String(i));
      const a = await page.evaluate(() => document.querySelector('.actor.on')?.dataset.actor);
      if (a) actors.push(a);
    }
    assert.ok(!actors.includes('scheduler'), `legacy actors: ${[...new Set(actors)]}`);
    assert.ok(actors.includes('daemonset-controller'));
    assert.ok(currentTotal > 0 && currentActors.length > 0);
    await shot(page, '10-legacy-node-joins');
    await page.getByRole('radio', { name: /Current/ }).check();
    await page.getByRole('button', { name: 'Back to the verdicts' }).click();
    await until(page, () => !document.querySelector('.step-count'));
    assert.match(await page.locator('[data-node="worker-1"]').innerText(), /Pod runs here/);
  });

  test('every story plays: steps, the user event among them, no error', async () => {
    const { page } = app;
    await page.getByLabel('maxUnavailable').fill('1');
    await page.getByLabel('maxSurge').fill('0');
    const slugs = await page.$$eval('button[data-story]', (els) => els.map((e) => e.dataset.story));
    assert.ok(slugs.length >= 10, slugs.join(','));
    for (const slug of slugs) {
      await page.locator(`button[data-story="${slug}"]`).click();
      assert.equal(await page.locator('.player-error').count(), 0, `${slug}: error`);
      const total = await stepTotal();
      assert.ok(total > 2, `${slug}: ${total} steps`);
      if (slug !== 'rollout') {
        // Somewhere in the timeline the user acts (the story's event).
        const actors = new Set();
        for (let i = 0; i < total && !actors.has('user'); i++) {
          await page.getByLabel('Timeline').fill(String(i));
          await drawn(page);
          actors.add(await page.evaluate(() => document.querySelector('.actor.on')?.dataset.actor));
        }
        assert.ok(actors.has('user'), `${slug}: no user step`);
      }
    }
    await page.getByRole('button', { name: 'Back to the verdicts' }).click();
  });

  test('prefers-reduced-motion turns the animations off', async () => {
    const names = await app.page.$$eval('.node-card, .pod-chip', (els) => els.map((e) => getComputedStyle(e).animationName));
    assert.ok(names.length > 0);
    assert.ok(names.every((n) => n === 'none'), names.join(','));
  });

  test('no console errors, failed requests or page errors', () => {
    assert.deepEqual(app.problems, []);
  });
});
