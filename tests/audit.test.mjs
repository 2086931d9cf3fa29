// The Audit page (#/audit): a cluster dump pasted, picked or dropped, audited in the worker by the
// core; the DaemonSets' rows, a row's nodes by reason, the picture's keyboard and words, the
// exports, the what-if chart, bad input, and the figures on big dumps (5,000 nodes drawn
// without a long task; a what-if redrawn within 200 ms on 1,000 nodes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launch, newPage, serveStatic, shot, until } from './helpers.mjs';

// The CLI's audit fixture (crates/cli/tests/audit.rs says what each of its seven nodes holds).
const FIXTURE = join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'audit-dump.yaml');
const DUMP = readFileSync(FIXTURE, 'utf8');

async function openAudit(browser, url, { reducedMotion = 'no-preference' } = {}) {
  const { page, context, problems } = await newPage(browser, {
    viewport: { width: 1400, height: 1000 },
    reducedMotion,
  });
  // Nothing leaves the browser: every request is the app's own.
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`${url}/#/audit`);
  await page.waitForSelector('#audit-text', { timeout: 60000 });
  return { page, context, problems };
}

const status = (page) => page.locator('.audit-status').innerText();
const auditedText = (page, what) =>
  until(page, (w) => (document.querySelector('.audit-status')?.textContent ?? '').includes(w), what, 60000);

describe('the Audit page (release build)', () => {
  let server;
  let browser;
  let app;
  let tmp;

  before(async () => {
    server = await serveStatic(join(ROOT, 'dist'));
    browser = await launch();
    app = await openAudit(browser, server.url);
    tmp = mkdtempSync(join(tmpdir(), 'dslab-audit-'));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a pasted dump: one row per DaemonSet, computed numbers beside the status, a row opens', async () => {
    const { page } = app;
    assert.equal(await page.locator('.site-nav a[aria-current="page"]').innerText(), 'Audit');
    await page.locator('#audit-text').fill(DUMP);
    await auditedText(page, 'Audited pasted text');
    const rows = page.locator('.audit-table tbody > tr:first-child');
    assert.equal(await rows.count(), 2);
    const agent = rows.nth(0);
    const cells = await agent.locator('td, th').allInnerTexts();
    assert.equal(cells[0], 'kube-system');
    assert.match(cells[1], /node-agent/);
    assert.match(cells[2], /^4 \(status 5\) differs$/, 'DESIRED computed 4, status 5');
    assert.match(cells[3], /^3 \(status 5\) differs$/, 'CURRENT');
    assert.match(cells[7], /kubernetes\.io\/os=linux/);
    assert.match(cells[8], /desired 4 \(status says 5\), 3 missed, 1 pending, 1 missing, 2 misscheduled, 1 outdated/);
    assert.match(cells[8], /Status differs from the rules: DESIRED, CURRENT\./);
    const headers = await page.locator('.audit-table thead th').allInnerTexts();
    assert.deepEqual(headers, ['NAMESPACE', 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'FINDINGS']);
    // The dump's own notes: a pod of a DaemonSet the dump does not hold.
    assert.match(await page.locator('.audit-notes').innerText(), /unknown owner: 1 pod\(s\) .* not in the dump/);

    const expand = agent.getByRole('button', { name: /node-agent/ });
    assert.equal(await expand.getAttribute('aria-expanded'), 'false');
    const detail = page.locator('#audit-ds-0');
    assert.equal(await detail.isVisible(), false);
    await expand.focus();
    await page.keyboard.press('Enter');
    assert.equal(await expand.getAttribute('aria-expanded'), 'true');
    const text = await detail.innerText();
    assert.match(text, /Missed, 1 node\(s\): untolerated-taint: .*dedicated=gpu:NoSchedule/);
    assert.match(text, /Missed, 1 node\(s\): untolerated-taint: .*maintenance:NoExecute/);
    assert.match(text, /Missed, 1 node\(s\): node-selector/);
    assert.match(text, /node-e: insufficient-resources: Insufficient cpu \(requested 200m/);
    assert.match(text, /Missing, 1 node\(s\)[\s\S]*node-f/);
    assert.match(text, /node-agent-\w+ on node-g: will be deleted/);
    assert.match(text, /on node-d: stays/);
    assert.match(text, /Outdated, 1 pod\(s\)[\s\S]*on node-b/);
    assert.match(text, /RollingUpdate: maxUnavailable/);
    // The report comes before the rollout's simulation, which fills its line when done.
    await until(page, () => /simulated: /.test(document.querySelector('#audit-ds-0').innerText) && !/being simulated/.test(document.querySelector('#audit-ds-0').innerText));
    assert.match(await detail.innerText(), /simulated: maxUnavailable 1 → 1, maxSurge 0 → 0, minReadySeconds 0: 1 pod\(s\) to replace, does not finish/);
    await shot(page, '90-audit-report');
  });

  test('the picture: one cell per node, a single tab stop, arrow keys, words on focus and hover', async () => {
    const { page } = app;
    const cells = page.locator('.cells .cell');
    await until(page, () => document.querySelectorAll('.cells .cell').length === 7);
    assert.equal(await page.locator('.cells [tabindex="0"]').count(), 1);
    assert.deepEqual(await cells.allInnerTexts(), ['✓', 'O', 'S', 'X', 'P', 'M', 'X']);
    // Legend in words, with counts.
    assert.match(await page.locator('.cell-legend').innerText(), /runs its pod: 1[\s\S]*misscheduled: runs a pod where none should run: 2/);
    // Keyboard: Tab from the DaemonSet picker enters the picture at its one tab stop.
    await page.locator('#audit-pick').focus();
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(await focused(), 'node-a: runs its pod');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'node-b: outdated: its pod is on an old template');
    assert.equal(await page.locator('.cell-words').innerText(), 'node-b: outdated: its pod is on an old template');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'node-g: misscheduled: runs a pod where none should run');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'node-a: runs its pod');
    assert.equal(await page.locator('.cells [tabindex="0"]').count(), 1);
    // Pointer: hover says the words, a click moves the tab stop there.
    await cells.nth(2).hover();
    assert.equal(await page.locator('.cell-words').innerText(), 'node-c: missed: node-selector');
    assert.equal(await cells.nth(2).getAttribute('title'), 'node-c: missed: node-selector');
    await cells.nth(4).click();
    assert.equal(await focused(), 'node-e: pending: the scheduler cannot bind its pod');
    assert.equal(await cells.nth(4).getAttribute('tabindex'), '0');
    // Another DaemonSet: the exporter tolerates every taint.
    await page.locator('#audit-pick').selectOption({ label: 'monitoring/exporter' });
    await until(page, () => document.querySelector('.cells')?.getAttribute('aria-label')?.includes('monitoring/exporter'));
    assert.deepEqual(await cells.allInnerTexts(), ['✓', '✓', '✓', 'O', 'M', 'M', 'M']);
    await page.locator('.audit-picture').scrollIntoViewIfNeeded();
    await shot(page, '91-audit-picture');
    await page.locator('#audit-pick').selectOption({ label: 'kube-system/node-agent' });
  });

  test('export: the core\'s Markdown and JSON, downloaded', async () => {
    const { page } = app;
    for (const [button, name, check] of [
      ['Export JSON', 'audit.json', (t) => {
        const r = JSON.parse(t);
        assert.deepEqual(r.daemonsets.map((d) => d.daemonset), ['kube-system/node-agent', 'monitoring/exporter']);
        assert.equal(r.daemonsets[0].desiredNumberScheduled, 4);
        assert.equal(r.nodes, 7);
      }],
      ['Export Markdown', 'audit.md', (t) => {
        assert.match(t, /kube-system\/node-agent/);
        assert.match(t, /untolerated-taint/);
      }],
    ]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      assert.equal(download.suggestedFilename(), name);
      check(readFileSync(await download.path(), 'utf8'));
      assert.equal(await page.locator('.audit-note').innerText(), `Exported ${name}.`);
    }
  });

  test('what-if: new settings redraw the chart beside the current one; a rejected one says why', async () => {
    const { page } = app;
    const words = () => page.locator('#chart-whatif-words').innerText();
    await until(page, () => !!document.querySelector('#chart-whatif-words'));
    const before = await words();
    const nowWords = await page.locator('#chart-now-words').innerText();
    assert.match(before, /finishes in|does not finish/);
    assert.equal(before, nowWords, 'the what-if starts from the DaemonSet own settings');
    const path = () => page.locator('#chart-whatif-title').locator('xpath=ancestor::figure').locator('path.line-updated').getAttribute('d');
    const pathBefore = await path();
    // When the rollout's last change happens, in seconds ("finishes in 1m 5s", "no change after 2s").
    const lastChange = (w) => {
      const m = w.match(/(?:finishes in|no change after) (?:(\d+)m )?(\d+)s/);
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
    };
    // node-agent's rollout stalls as it is (two nodes without an available pod use up
    // maxUnavailable 1); a surge rollout replaces the outdated pod before deleting the old one.
    await page.getByLabel('maxUnavailable').fill('0');
    await page.getByLabel('maxSurge').fill('1');
    await until(page, (b) => document.querySelector('#chart-whatif-words')?.textContent !== b, before);
    const surged = await words();
    assert.match(surged, /4 of 4 updated/, `${before} -> ${surged}`);
    // minReadySeconds holds each old pod until its new one has been Ready that long: the last
    // change comes later. (The dump's pods are available from the start: peak unavailable 2 —
    // the pending and the missing node — not every pod.)
    await page.getByLabel('minReadySeconds').fill('60');
    await until(page, (b) => document.querySelector('#chart-whatif-words')?.textContent !== b, surged);
    const after = await words();
    assert.ok(lastChange(after) >= lastChange(surged) + 60, `${surged} -> ${after}`);
    assert.match(after, /peak unavailable 2\b/, after);
    assert.notEqual(await path(), pathBefore);
    assert.equal(await page.locator('#chart-now-words').innerText(), nowWords, 'the current strategy stays');
    // The table alternative.
    await page.locator('.chart-tables summary').click();
    assert.match(await page.locator('.series-table caption').nth(1).innerText(), /What if .*minReadySeconds 60/);
    // Both zero: refused by the core, in words; the charts stay.
    await page.getByLabel('maxUnavailable').fill('0');
    await page.getByLabel('maxSurge').fill('0');
    await until(page, () => /exactly one of them must be non-zero/.test(document.querySelector('.whatif-error')?.textContent ?? ''));
    await page.getByLabel('maxSurge').fill('1');
    await until(page, () => (document.querySelector('.whatif-error')?.textContent ?? '') === '');
    assert.match(await page.locator('#chart-whatif-budget').innerText(), /maxUnavailable 0 → 0, maxSurge 1 → 1, minReadySeconds 60/);
    await page.locator('.audit-whatif').scrollIntoViewIfNeeded();
    await shot(page, '92-audit-what-if');
  });

  test('bad input gets a clear message next to the input; the page keeps working', async () => {
    const { page } = app;
    const box = page.locator('#audit-text');
    const error = (want) =>
      until(page, (w) => {
        const t = document.querySelector('#audit-error .error-line')?.textContent ?? '';
        return new RegExp(w).test(t) && t;
      }, want.source);
    for (const [name, text, want] of [
      ['invalid YAML', 'apiVersion: v1\nkind: List\nitems:\n- kind: Node\n  metadata: {name: [\n', /^⚠ Cannot audit this input\. pasted text:\d+:\d+: /],
      ['no nodes', DUMP.replace(/kind: Node$/gm, 'kind: ConfigMap'), /found no Node; expected the cluster's Nodes/],
      ['no DaemonSets', DUMP.replace(/kind: DaemonSet$/gm, 'kind: ConfigMap'), /found no DaemonSet; expected DaemonSets/],
    ]) {
      await box.fill(text);
      assert.match(await error(want), want, name);
      assert.equal(await box.getAttribute('aria-invalid'), 'true', name);
      // The last audit stays on screen.
      assert.equal(await page.locator('.audit-table tbody > tr:first-child').count(), 2, name);
      assert.match(await page.locator('#audit-error').innerText(), /The audit below is of the last dump that could be read/);
      await box.fill('');
      await page.waitForTimeout(50);
    }
    await shot(page, '93-audit-bad-input');
    // A good dump again: the message goes.
    await box.fill(DUMP);
    await until(page, () => !document.querySelector('#audit-error .error-line'));
    assert.equal(await box.getAttribute('aria-invalid'), 'false');
  });

  test('a file picked: read in the browser, named in the status', async () => {
    const { page } = app;
    await page.locator('#audit-file').setInputFiles(join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'audit-dump.json'));
    await auditedText(page, 'Audited audit-dump.json');
    assert.match(await status(page), /2 DaemonSet\(s\) on 7 node\(s\)/);
    // The worker reads the file's bytes: a dump saved as UTF-16 (PowerShell's `>`) is named so.
    const utf16 = join(tmp, 'dump-utf16.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DUMP, 'utf16le')]));
    await page.locator('#audit-file').setInputFiles(utf16);
    await until(page, () => /found UTF-16LE text/.test(document.querySelector('#audit-error .error-line')?.textContent ?? ''));
    assert.match(await page.locator('#audit-error').innerText(), /dump-utf16\.yaml.*expected UTF-8/);
    await page.locator('#audit-file').setInputFiles(join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'audit-dump.json'));
    await until(page, () => !document.querySelector('#audit-error .error-line'));
  });

  test('without a worker (its script cannot load), a picked file is read on the page and audited', async () => {
    const { page, context } = await newPage(browser, { viewport: { width: 1400, height: 1000 } });
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.route('**/worker.js*', (route) => route.abort());
    await page.goto(`${server.url}/#/audit`);
    await page.waitForSelector('#audit-text', { timeout: 60000 });
    await page.locator('#audit-file').setInputFiles(join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'audit-dump.yaml'));
    await auditedText(page, 'Audited audit-dump.yaml');
    assert.match(await status(page), /2 DaemonSet\(s\) on 7 node\(s\)/);
    assert.ok(warnings.some((w) => /no worker/.test(w)), `the page says it simulates itself: ${warnings}`);
    await context.close();
  });

  test('a file dropped on the input: read in the browser', async () => {
    const { page } = app;
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped-dump.yaml', { type: 'application/yaml' }));
      const zone = document.querySelector('.audit-input');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, DUMP);
    await auditedText(page, 'Audited dropped-dump.yaml');
    assert.equal(await page.locator('.audit-input.dragging').count(), 0);
  });

  test('"Open in the playground" puts the DaemonSet and its nodes in the editors', async () => {
    const { page } = app;
    const expand = page.locator('.audit-table').getByRole('button', { name: /exporter/ });
    await expand.click();
    await page.locator('#audit-ds-1').getByRole('button', { name: 'Open in the playground' }).click();
    await until(page, () => location.hash === '#/' && document.querySelectorAll('[data-node]').length === 7, undefined, 30000);
    assert.match(await page.getByRole('textbox', { name: 'DaemonSet YAML' }).inputValue(), /name: exporter/);
    assert.match(await page.getByRole('textbox', { name: 'Nodes YAML' }).inputValue(), /name: node-g/);
    // Back on the audit page, the report is still there.
    await page.goto(`${server.url}/#/audit`);
    await until(page, () => document.querySelectorAll('.audit-table tbody > tr:first-child').length === 2);
    assert.deepEqual(app.problems, []);
  });

  test('keyboard only: the skip link, the controls are labelled', async () => {
    const { page } = app;
    const fresh = await openAudit(browser, server.url);
    await fresh.page.keyboard.press('Tab');
    assert.equal(await fresh.page.evaluate(() => document.activeElement?.textContent), 'Skip to the audit');
    await fresh.page.keyboard.press('Enter');
    assert.equal(await fresh.page.evaluate(() => document.activeElement?.id), 'audit-main');
    assert.equal(await fresh.page.evaluate(() => location.hash), '#/audit');
    await fresh.context.close();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('.audit input, .audit select, .audit textarea, .audit button')]
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
  });

  test('1,000 nodes: the what-if chart is redrawn within 200 ms of a change', async (t) => {
    const { page } = app;
    const file = join(tmp, 'dump-1k.yaml');
    writeFileSync(file, execFileSync('python3', [join(ROOT, 'scripts', 'make-dump.py'), '--nodes', '1000', '--outdated', '10', '--no-managed-fields'], { maxBuffer: 1 << 30 }));
    // Pasted as the browser fires a paste: over 1 MB, it goes to the worker and not into the box.
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      const box = document.querySelector('#audit-text');
      box.focus();
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, readFileSync(file, 'utf8'));
    await auditedText(page, 'Audited pasted text');
    assert.match(await status(page), /3 DaemonSet\(s\) on 1000 node\(s\)/);
    assert.equal(await page.locator('#audit-text').inputValue(), '', 'the big paste is not put in the box');
    assert.match(await page.locator('.audit-hidden-note').innerText(), /^Pasted \d+\.\d MB: read as it is, not shown in the box/);
    await until(page, () => /finishes|does not finish/.test(document.querySelector('#chart-whatif-words')?.textContent ?? ''), undefined, 60000);
    const runs = [];
    for (const value of ['30', '0', '45', '5', '20']) {
      const ms = await page.evaluate(
        (v) =>
          new Promise((ok) => {
            const input = document.querySelector('#whatif-min-ready');
            const t0 = performance.now();
            // Redrawn: the chart's budget line names the new setting (a stalled rollout's
            // words may stay the same).
            const drawn = () =>
              (document.querySelector('#chart-whatif-budget')?.textContent ?? '').endsWith(`minReadySeconds ${v}`);
            new MutationObserver((_, obs) => {
              if (drawn()) {
                obs.disconnect();
                // Drawn: the next frame after the change.
                requestAnimationFrame(() => ok(performance.now() - t0));
              }
            }).observe(document.querySelector('.audit-whatif'), { childList: true, subtree: true, characterData: true });
            input.value = v;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }),
        value,
      );
      runs.push(Math.round(ms));
    }
    t.diagnostic(`what-if redraw on 1,000 nodes (ms from the input event, 120 ms pause included): ${runs.join(', ')}`);
    console.log(`# what-if redraw ms (1,000 nodes): ${runs.join(', ')}`);
    runs.sort((a, b) => a - b);
    assert.ok(runs[Math.floor(runs.length / 2)] <= 200, `median redraw ${runs}`);
  });

  test('5,000 nodes and 3 DaemonSets: audited and drawn without a long task', async (t) => {
    const { page } = app;
    const file = join(tmp, 'dump-5k.yaml');
    writeFileSync(file, execFileSync('python3', [join(ROOT, 'scripts', 'make-dump.py'), '--nodes', '5000', '--outdated', '10'], { maxBuffer: 1 << 30 }));
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask' });
      window.__t0 = performance.now();
    });
    await page.locator('#audit-file').setInputFiles(file);
    await auditedText(page, 'Audited dump-5k.yaml');
    // The note of the big paste before (the 1,000-node test) goes with the text it was about.
    assert.equal(await page.locator('.audit-hidden-note').count(), 0);
    const auditedMs = await page.evaluate(() => performance.now() - window.__t0);
    await until(page, () => document.querySelectorAll('.cells .cell').length === 5000, undefined, 60000);
    const drawnMs = await page.evaluate(() => performance.now() - window.__t0);
    assert.equal(await page.locator('.audit-table tbody > tr:first-child').count(), 3);
    // The what-if of the first DaemonSet over 5,000 nodes comes from the worker too.
    await until(page, () => /finishes|does not finish/.test(document.querySelector('#chart-whatif-words')?.textContent ?? ''), undefined, 120000);
    await page.waitForTimeout(300);
    const longTasks = await page.evaluate(() => window.__longTasks);
    const mb = (readFileSync(file).length / 1e6).toFixed(1);
    t.diagnostic(`5,000 nodes (${mb} MB): audited ${auditedMs.toFixed(0)} ms, all cells drawn ${drawnMs.toFixed(0)} ms; long tasks: ${longTasks.join(', ') || 'none'}`);
    console.log(`# 5k audit: ${mb} MB, audited ${auditedMs.toFixed(0)} ms, drawn ${drawnMs.toFixed(0)} ms, long tasks [${longTasks.join(', ')}]`);
    await page.locator('.audit-picture').scrollIntoViewIfNeeded();
    await shot(page, '94-audit-5000-nodes');
    assert.ok(Math.max(0, ...longTasks) <= 100, `long tasks ${longTasks}`);
    // Keyboard still moves over the big picture.
    await page.locator('.cells [tabindex="0"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /^ip-10-0-\d+-\d+\.eu-west-1\.compute\.internal: /);
    assert.deepEqual(app.problems, []);
    // Open in the playground with 5,000 nodes: the editors get them, the verdicts follow.
    await page.evaluate(() => {
      window.__longTasks = [];
      window.__t0 = performance.now();
    });
    await page.locator('.audit-table').getByRole('button', { name: /net-agent/ }).click();
    await page.locator('#audit-ds-0').getByRole('button', { name: 'Open in the playground' }).click();
    await until(page, () => location.hash === '#/' && document.querySelectorAll('[data-node]').length === 5000, undefined, 120000);
    const openMs = await page.evaluate(() => performance.now() - window.__t0);
    const openTasks = await page.evaluate(() => window.__longTasks);
    t.diagnostic(`Open in the playground, 5,000 nodes: all tiles ${openMs.toFixed(0)} ms; long tasks: ${openTasks.join(', ') || 'none'}`);
    console.log(`# 5k open in the playground: all tiles ${openMs.toFixed(0)} ms, long tasks [${openTasks.join(', ')}]`);
    assert.match(await page.getByRole('textbox', { name: 'DaemonSet YAML' }).inputValue(), /name: net-agent/);
    assert.deepEqual(app.problems, []);
  });
});
