// Browser figures for big clusters (a benchmark, not a test): the built app (dist/) served on
// 127.0.0.1 in headless Chromium; a cluster dump pasted into the Nodes editor. Prints the time to
// the first verdict, the longest main-thread task (PerformanceObserver "longtask"), and the time
// until the "Rolling update" story is ready to play.
//
//   scripts/make-dump.py --nodes 5000 --no-pods --lean > target/dump-5k-lean.yaml
//   node scripts/bench-browser.mjs target/dump-5k-lean.yaml
//
// (7.5 MB: no managedFields, images, addresses or pressure conditions. With --no-managed-fields
// instead, as kubectl prints nodes since v1.21, the same nodes make 23 MB; with managedFields,
// 36 MB.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, serveStatic, shot, until } from '../tests/helpers.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/bench-browser.mjs DUMP.yaml');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
// DIST=other/dist compares another build.
const server = await serveStatic(process.env.DIST ?? join(ROOT, 'dist'));
const browser = await launch();
try {
  const app = await openApp(browser, `${server.url}/`);
  const { page } = app;
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  });
  const nodes = await page.evaluate(() => document.querySelectorAll('[data-node]').length);
  const want = (text.match(/^  kind: Node$/gm) ?? []).length;
  // The text goes to the page first (DevTools' transfer of a 7 MB argument is not the app's
  // time), then the paste and everything after it are timed in the page.
  await page.evaluate((t) => { window.__text = t; }, text);
  await page.waitForTimeout(300);
  await page.evaluate(() => window.__longTasks.splice(0));
  const timing = await page.evaluate(async (want) => {
    const ta = [...document.querySelectorAll('textarea')].find((t) => t.getAttribute('aria-label') === 'Nodes YAML');
    // A paste as the browser fires it: the app takes a big text from the clipboard event and
    // keeps it out of the text box (a synthetic event has no default action either way).
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', window.__text);
    ta.focus();
    ta.select();
    const t0 = performance.now();
    const t1 = t0;
    ta.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData }));
    const t2 = performance.now();
    let first = 0;
    for (;;) {
      const n = document.querySelectorAll('[data-node]').length;
      const busy = document.querySelector('.cluster-busy')?.textContent;
      if (!first && n > 0 && !busy && document.querySelector('.cluster-summary')?.textContent.includes(String(want))) first = performance.now();
      if (n === want) break;
      if (performance.now() - t0 > 120000) throw new Error('no verdicts after 120 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    return { value: t1 - t0, handler: t2 - t1, first: first - t0, all: performance.now() - t0 };
  }, want);
  const pasteTasks = await page.evaluate(() => window.__longTasks.splice(0));
  const ms = (x) => `${Math.round(x)} ms`;
  console.log(`# ${file}: ${(text.length / 1e6).toFixed(1)} MB, ${want} nodes (was ${nodes})`);
  console.log(`# paste: the app's paste handler ${ms(timing.handler)}`);
  console.log(`# paste to the first verdicts on screen: ${ms(timing.first)}; all ${want} tiles drawn: ${ms(timing.all)}`);
  console.log(`# long tasks from the paste on : ${pasteTasks.length}, longest ${Math.max(0, ...pasteTasks)} ms (${pasteTasks.join(', ')})`);
  await shot(page, '90-bench-paste');
  const r0 = Date.now();
  await page.locator('button[data-story="rolling-update"]').click();
  // Ready: the worker's run is counted and its first frame drawn.
  // Playable: the worker's run is counted and its first frame is on screen (the cluster's title
  // names the story). Then the tiles are set from it, a hundred per animation frame.
  await until(page, () => /of [1-9]/.test(document.querySelector('.step-count')?.textContent ?? '') && /Simulated cluster/.test(document.querySelector('.cluster-summary')?.textContent ?? ''), undefined, 120000);
  const playableMs = Date.now() - r0;
  await until(page, () => document.querySelector('section.cluster').getAttribute('aria-busy') === 'false', undefined, 120000);
  const storyMs = Date.now() - r0;
  const storyTasks = await page.evaluate(() => window.__longTasks.splice(0));
  console.log(`# rolling update story playable: ${playableMs} ms; every tile of its first step drawn: ${storyMs} ms; long tasks ${storyTasks.length}, longest ${Math.max(0, ...storyTasks)} ms`);
  await shot(page, '91-bench-rollout');
  if (app.problems.length) console.log(`# problems: ${app.problems.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}
