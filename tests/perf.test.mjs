// Figures: first render on a cold load, and a 500-node cluster staying responsive.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, drawn, launch, nodeYaml, openApp, serveStatic, shot, until } from './helpers.mjs';

describe('performance (release build)', () => {
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

  test('first render of the playground from a cold load is under 1.5 s', async (t) => {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const app = await openApp(browser, `${server.url}/`);
      runs.push(app.firstRenderMs);
      assert.deepEqual(app.problems, []);
      await app.context.close();
    }
    t.diagnostic(`first render (ms since navigation start, 3 cold contexts): ${runs.map((r) => r.toFixed(0)).join(', ')}`);
    console.log(`# first render ms: ${runs.map((r) => r.toFixed(0)).join(', ')}`);
    assert.ok(Math.max(...runs) < 1500, `first render ${runs}`);
  });

  test('leaving the playground while a big cluster is still being drawn: no error', async () => {
    const app = await openApp(browser, `${server.url}/`);
    const { page } = app;
    const yaml = Array.from({ length: 2000 }, (_, i) => nodeYaml(`node-${String(i).padStart(4, '0')}`)).join('---\n');
    // The tiles come a chunk per frame; the reader goes to the lessons after the first chunk (the
    // view, and the signals the next frame's chunk reads, are then gone: that panicked once).
    const drawnWhenLeft = await page.getByRole('textbox', { name: 'Nodes YAML' }).evaluate(
      (ta, text) =>
        new Promise((left) => {
          new MutationObserver((_, obs) => {
            const n = document.querySelectorAll('[data-node^="node-"]').length;
            if (n > 0) {
              obs.disconnect();
              location.hash = '#/lessons';
              left(n);
            }
          }).observe(document.body, { childList: true, subtree: true });
          ta.value = text;
          ta.dispatchEvent(new Event('input', { bubbles: true }));
        }),
      yaml,
    );
    assert.ok(drawnWhenLeft < 2000, `left while drawing (${drawnWhenLeft} of 2000 tiles)`);
    await page.locator('.lesson-item').first().waitFor();
    await page.waitForTimeout(500);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });

  test('500 nodes: the view renders compact and stays responsive', async (t) => {
    const app = await openApp(browser, `${server.url}/`);
    const { page } = app;
    const names = Array.from({ length: 500 }, (_, i) => `node-${String(i).padStart(3, '0')}`);
    const yaml = names
      .map((n, i) =>
        nodeYaml(n, {
          taints: i % 50 === 0 ? [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] : [],
          labels: i % 7 === 0 ? { 'kubernetes.io/os': 'windows' } : {},
          unschedulable: i % 31 === 0,
        }),
      )
      .join('---\n');
    const nodes = page.getByRole('textbox', { name: 'Nodes YAML' });
    const t0 = Date.now();
    // As a paste does: the whole text at once, then one input event. (Playwright's fill() types
    // a 6,500-line text far too slowly to stand for a paste.)
    await nodes.evaluate((ta, text) => {
      ta.value = text;
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }, yaml);
    await until(page, () => document.querySelectorAll('[data-node]').length === 500, undefined, 30000);
    const renderMs = Date.now() - t0;
    assert.ok(await page.locator('.tiles').isVisible(), 'compact view is on for 500 nodes');
    assert.ok(await page.locator('[data-node="node-000"]').getAttribute('class').then((c) => /slot-none/.test(c)));

    // Responsiveness: frames keep coming while scrolling, and a click selects within a frame or two.
    const scrollMs = await page.evaluate(async () => {
      const tiles = document.querySelector('.tiles');
      const t = performance.now();
      for (let i = 0; i < 20; i++) {
        tiles.scrollTop += 200;
        await new Promise((r) => requestAnimationFrame(r));
      }
      return performance.now() - t;
    });
    const c0 = Date.now();
    await page.locator('[data-node="node-250"] button').click();
    await page.locator('.pod-yaml[data-mode="current"]').waitFor();
    const selectMs = Date.now() - c0;
    // Typing one character into the big editor (the re-parse waits for a pause).
    const k0 = Date.now();
    await nodes.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('#');
    const keyMs = Date.now() - k0;
    t.diagnostic(`500 nodes: parse+render ${renderMs} ms (includes the 250 ms typing pause), 20 scroll frames ${scrollMs.toFixed(0)} ms, select ${selectMs} ms, one keystroke ${keyMs} ms`);
    console.log(`# 500 nodes: parse+render ${renderMs} ms, 20 scroll frames ${scrollMs.toFixed(0)} ms, select ${selectMs} ms, keystroke ${keyMs} ms`);
    await shot(page, '05-500-nodes');

    // Stepping a scenario on 500 nodes: the core simulates the rollout, the player steps through it.
    const r0 = Date.now();
    await page.locator('button[data-story="rollout"]').click();
    // The worker simulates it: ready once the player counts its steps.
    await until(page, () => /of [1-9]/.test(document.querySelector('.step-count')?.textContent ?? ''), undefined, 30000);
    const simMs = Date.now() - r0;
    const total = Number((await page.locator('.step-count').innerText()).match(/of (\d+)/)[1]);
    await until(page, () => document.querySelectorAll('[data-node]').length === 500, undefined, 30000);
    // A step changes a few cards: the other tiles stay the same elements (the list was once
    // rebuilt whole on every change of the cards, a second per step on 5,000 nodes).
    await page.evaluate(() => { document.querySelector('[data-node="node-499"]').__kept = true; });
    const f0 = Date.now();
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await drawn(page);
    const stepMs = (Date.now() - f0) / 10;
    assert.ok(await page.evaluate(() => document.querySelector('[data-node="node-499"]').__kept === true), 'the tiles are not drawn again on a step');
    const j0 = Date.now();
    await page.getByLabel('Timeline').fill(String(total - 1));
    await until(page, (t) => document.querySelector('.step-count').textContent.startsWith(`step ${t} `), total);
    await until(page, () => document.querySelector('section.cluster').getAttribute('aria-busy') === 'false');
    const jumpMs = Date.now() - j0;
    const running = await page.locator('[data-node].slot-runs').count();
    t.diagnostic(`500 nodes, initial rollout: simulate+first view ${simMs} ms, ${total} steps, one step ${stepMs.toFixed(0)} ms, jump to the end ${jumpMs} ms, ${running} nodes running the pod`);
    console.log(`# 500 nodes rollout: simulate ${simMs} ms, ${total} steps, step ${stepMs.toFixed(0)} ms, jump ${jumpMs} ms, running ${running}`);
    await shot(page, '12-500-nodes-rollout-end');
    assert.ok(running > 300, `running on ${running} nodes`);
    assert.ok(stepMs < 500, `one step took ${stepMs} ms`);
    assert.ok(jumpMs < 3000, `jump took ${jumpMs} ms`);
    assert.ok(renderMs < 10000, `500 nodes rendered in ${renderMs} ms`);
    assert.ok(scrollMs < 2000, `20 scroll frames took ${scrollMs} ms`);
    assert.ok(selectMs < 2000, `select took ${selectMs} ms`);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });
  test('a 6 MB paste of 2,000 nodes, a story, a console command, Copy link, an Import and another cluster over them: the page never blocks for over 100 ms', async (t) => {
    const app = await openApp(browser, `${server.url}/`);
    const { page } = app;
    // A dump in the shape of `kubectl get nodes -o yaml`, with the labels and status a real
    // node carries, over the editor's 1 MB limit.
    const items = Array.from({ length: 2000 }, (_, i) => {
      const n = `ip-10-0-${i >> 8}-${i & 255}.eu-west-1.compute.internal`;
      const labels = Array.from({ length: 12 }, (_, k) => `      topology.example.com/label-${k}: value-${(i * 7 + k) % 31}`).join('\n');
      return `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: ${n}\n    labels:\n      kubernetes.io/hostname: ${n}\n      kubernetes.io/os: linux\n${labels}\n` +
        `  spec:\n    providerID: aws:///eu-west-1a/i-${i.toString(16).padStart(17, '0')}\n` +
        (i % 40 === 0 ? '    taints:\n    - key: dedicated\n      value: gpu\n      effect: NoSchedule\n' : '') +
        `  status:\n    allocatable:\n      cpu: "4"\n      memory: 15Gi\n      pods: "110"\n    capacity:\n      cpu: "4"\n      memory: 16Gi\n      pods: "110"\n` +
        '    conditions:\n' + ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((c) => `    - type: ${c}\n      status: "False"\n      reason: KubeletHas${c === 'PIDPressure' ? 'Sufficient' : 'No'}${c.replace('Pressure', '')}\n      message: kubelet is fine\n      lastHeartbeatTime: "2026-12-01T10:00:00Z"\n      lastTransitionTime: "2026-11-01T10:00:00Z"\n`).join('') +
        `    - type: Ready\n      status: "True"\n      reason: KubeletReady\n      message: kubelet is posting ready status\n      lastHeartbeatTime: "2026-12-01T10:00:00Z"\n      lastTransitionTime: "2026-11-01T10:00:00Z"\n` +
        `    nodeInfo:\n      kubeletVersion: v1.31.2\n      osImage: Amazon Linux 2023\n      containerRuntimeVersion: containerd://1.7.22\n      architecture: amd64\n      operatingSystem: linux\n` +
        `    images:\n` + Array.from({ length: 8 }, (_, k) => `    - names:\n      - registry.example.com/app-${k}@sha256:${String(k).repeat(64).slice(0, 64)}\n      sizeBytes: ${100000000 + k}\n`).join('');
    });
    const dump = `apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ""\nitems:\n${items.join('')}`;
    assert.ok(dump.length > 2.5e6, `the dump is ${dump.length} bytes`);
    await page.evaluate((text) => {
      window.__text = text;
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask' });
    }, dump);
    // A paste as the browser fires it (a synthetic event has no default action).
    const handlerMs = await page.evaluate(() => {
      const ta = document.querySelector('textarea[aria-label="Nodes YAML"]');
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', window.__text);
      ta.focus();
      ta.select();
      const t0 = performance.now();
      ta.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData }));
      return performance.now() - t0;
    });
    await until(page, () => document.querySelectorAll('[data-node]').length === 2000, undefined, 60000);
    await drawn(page, 30000);
    // The text was read but kept out of the box, which offers to edit it anyway.
    assert.equal(await page.locator('textarea[aria-label="Nodes YAML"]').inputValue(), '');
    await page.getByText(/too big to edit here/).waitFor();
    assert.match(await page.locator('.cluster-summary').innerText(), /2000/);
    // A story over them: the tiles drawn stay the same elements while it starts (they were once
    // dropped and drawn again, in a task of 0.2 s on 5,000 nodes), and are set a few hundred per frame.
    const pasteTasks = await page.evaluate(() => window.__longTasks.splice(0));
    const probe = 'ip-10-0-7-207.eu-west-1.compute.internal';
    await page.evaluate((n) => { document.querySelector(`[data-node="${n}"]`).__kept = true; }, probe);
    await page.locator('button[data-story="rolling-update"]').click();
    await until(page, () => /of [1-9]/.test(document.querySelector('.step-count')?.textContent ?? ''), undefined, 60000);
    await drawn(page, 30000);
    assert.ok(await page.evaluate((n) => document.querySelector(`[data-node="${n}"]`).__kept === true, probe), 'the tiles are kept when a story starts');
    const storyTasks = await page.evaluate(() => window.__longTasks.splice(0));
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await drawn(page, 30000);
    const stepTasks = await page.evaluate(() => window.__longTasks.splice(0));
    // A console command that changes the cluster: the worker reads it and plays it after the
    // story (the page once parsed the whole dump again for it: 2.4 s on 5,000 nodes).
    const box = page.getByRole('textbox', { name: 'kubectl console', exact: true });
    await box.fill(`cordon ${probe}`);
    await box.press('Enter');
    await until(page, (n) => document.querySelector('.console-output')?.textContent.includes(`node/${n} cordoned`), probe, 60000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click().catch(() => {});
    await drawn(page, 30000);
    const consoleTasks = await page.evaluate(() => window.__longTasks.splice(0));
    // Copy link on a cluster far too big for a link: said at once (the page once deflated the
    // whole dump first: a 184 ms task on 5,000 nodes).
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await until(page, () => /too big for a link/.test(document.body.textContent), undefined, 30000);
    const linkTasks = await page.evaluate(() => window.__longTasks.splice(0));
    // Import the same dump as a file: the worker reads it and the Nodes editor keeps it as it is
    // (the page once parsed it and printed every object again: seconds of frozen page).
    await page.getByRole('button', { name: 'Pause', exact: true }).click().catch(() => {});
    // (The same nodes, one of them tainted.)
    const changed = dump.replace('  spec:\n    providerID: aws:///eu-west-1a/i-00000000000000001\n', '  spec:\n    providerID: aws:///eu-west-1a/i-00000000000000001\n    taints:\n    - key: imported\n      effect: NoSchedule\n');
    assert.notEqual(changed, dump);
    // From a file on disk, as a user picks it (a buffer would go through DevTools as base64,
    // decoded on the page's main thread: a long task that is not the app's).
    const file = join(mkdtempSync(join(tmpdir(), 'dslab-perf-')), 'dump.yaml');
    writeFileSync(file, changed);
    await page.getByLabel(/Import a scenario file, a manifest or a cluster dump/).setInputFiles(file);
    await until(page, () => /Imported dump\.yaml: 0 DaemonSet\(s\), 2000 node\(s\)/.test(document.body.textContent), undefined, 60000);
    // 50 nodes tainted dedicated=gpu, and now the imported taint on one more.
    await until(page, () => /51 not eligible/.test(document.querySelector('.cluster-summary')?.textContent ?? ''), undefined, 60000);
    await drawn(page, 30000);
    const importTasks = await page.evaluate(() => window.__longTasks.splice(0));
    // Another cluster of 2,000 nodes pasted over this one: its tiles replace the old ones a
    // chunk at a time (dropping 2,000 tiles at once was a 183 ms task).
    await page.evaluate(() => {
      const ta = document.querySelector('textarea[aria-label="Nodes YAML"]');
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', window.__text.replaceAll('ip-10-0-', 'im-10-0-'));
      ta.focus();
      ta.select();
      ta.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData }));
    });
    await until(page, () => document.querySelectorAll('[data-node^="im-10-0-"]').length === 2000 && !document.querySelector('[data-node^="ip-10-0-"]'), undefined, 60000);
    await drawn(page, 30000);
    const replaceTasks = await page.evaluate(() => window.__longTasks.splice(0));
    const tasks = [...pasteTasks, ...storyTasks, ...stepTasks, ...consoleTasks, ...linkTasks, ...importTasks, ...replaceTasks];
    const list = (l) => l.join(', ') || 'none';
    const figures = `handler ${handlerMs.toFixed(0)} ms; long tasks (ms): paste ${list(pasteTasks)}; story start ${list(storyTasks)}; 5 steps ${list(stepTasks)}; console cordon ${list(consoleTasks)}; Copy link ${list(linkTasks)}; import ${list(importTasks)}; another cluster ${list(replaceTasks)}`;
    t.diagnostic(`2,000-node paste + story: ${figures}`);
    console.log(`# 2,000-node paste + story: ${figures}`);
    await shot(page, '13-2000-nodes-story');
    assert.ok(Math.max(0, ...tasks) <= 100, `main-thread tasks over 100 ms: ${tasks.filter((d) => d > 100).join(', ')}`);
    assert.deepEqual(app.problems, []);
    await app.context.close();
  });
});
