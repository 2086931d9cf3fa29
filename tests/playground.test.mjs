// The playground in a real browser: editors, node cards, parse errors, mode switch, Pod YAML.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, launch, nodeYaml, openApp, serveStatic, shot, until } from './helpers.mjs';

describe('playground (release build)', () => {
  let server;
  let browser;
  let app;

  before(async () => {
    server = await serveStatic(join(ROOT, 'dist'));
    browser = await launch();
    app = await openApp(browser, `${server.url}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const cardNames = () => app.page.$$eval('[data-node]', (els) => els.map((e) => e.dataset.node));

  test('the editors and the example cluster render', async () => {
    const { page } = app;
    const ds = page.getByRole('textbox', { name: 'DaemonSet YAML' });
    const nodes = page.getByRole('textbox', { name: 'Nodes YAML' });
    assert.match(await ds.inputValue(), /kind: DaemonSet/);
    assert.match(await nodes.inputValue(), /kind: Node/);
    assert.deepEqual(await cardNames(), ['control-plane-1', 'worker-1', 'worker-2']);
    const cp = await page.locator('[data-node="control-plane-1"]').innerText();
    assert.match(cp, /No (new )?pod/);
    assert.match(cp, /node-role\.kubernetes\.io\/control-plane/);
    const w1 = await page.locator('[data-node="worker-1"]').innerText();
    assert.match(w1, /Pod runs here/);
    await shot(page, '01-initial');
  });

  test('a parse error shows line and column, marks the line, and the cards stay', async () => {
    const { page } = app;
    const ds = page.getByRole('textbox', { name: 'DaemonSet YAML' });
    const good = await ds.inputValue();
    const bad = good.replace('  name: fluent-bit\n', '  name: [fluent-bit\n');
    await ds.fill(bad);
    const text = await until(page, () => {
      const e = document.querySelector('#ds-yaml-error .error-line');
      return e && e.textContent;
    });
    assert.match(text, /Line \d+, column \d+/);
    assert.equal(await page.locator('#ds-yaml').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('.editor-bad-line').count(), 1);
    assert.deepEqual(await cardNames(), ['control-plane-1', 'worker-1', 'worker-2']);
    // "Show line N" scrolls to the faulty line and puts the caret on it.
    const line = Number(text.match(/Line (\d+)/)[1]);
    await page.getByRole('button', { name: `Show line ${line}` }).click();
    const caretLine = await page.evaluate(() => {
      const ta = document.getElementById('ds-yaml');
      return ta.value.slice(0, ta.selectionStart).split('\n').length;
    });
    assert.equal(caretLine, line);
    const shown = await page.evaluate((l) => {
      const body = document.querySelector('#ds-yaml').closest('.editor-body');
      const top = 8 + (l - 1) * 20;
      return body.scrollTop <= top && top + 20 <= body.scrollTop + body.clientHeight;
    }, line);
    assert.ok(shown, 'the faulty line is scrolled into view');
    await shot(page, '02-parse-error');
    await ds.fill(good);
    await until(page, () => !document.querySelector('#ds-yaml-error .error-line'));
    assert.equal(await page.locator('.editor-bad-line').count(), 0);
  });

  test('a wrong field type is reported with its line', async () => {
    const { page } = app;
    const ds = page.getByRole('textbox', { name: 'DaemonSet YAML' });
    const good = await ds.inputValue();
    await ds.fill(good.replace('      nodeSelector:\n        kubernetes.io/os: linux\n', '      nodeSelector: 42\n'));
    const text = await until(page, () => document.querySelector('#ds-yaml-error .error-line')?.textContent);
    assert.match(text, /Line \d+/);
    await ds.fill(good);
    await until(page, () => !document.querySelector('#ds-yaml-error .error-line'));
  });

  test('a changed node list changes the cards', async () => {
    const { page } = app;
    const nodes = page.getByRole('textbox', { name: 'Nodes YAML' });
    const original = await nodes.inputValue();
    const changed = [
      nodeYaml('worker-1'),
      nodeYaml('gpu-1', { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
      nodeYaml('win-1', { labels: { 'kubernetes.io/os': 'windows' } }),
      nodeYaml('worker-9', { unschedulable: true }),
    ].join('---\n');
    await nodes.fill(changed);
    await until(page, () => document.querySelectorAll('[data-node]').length === 4 && !!document.querySelector('[data-node="gpu-1"]'));
    assert.deepEqual(await cardNames(), ['worker-1', 'gpu-1', 'win-1', 'worker-9']);
    assert.match(await page.locator('[data-node="gpu-1"]').innerText(), /No (new )?pod[\s\S]*nvidia\.com\/gpu/);
    assert.match(await page.locator('[data-node="win-1"]').innerText(), /No pod/);
    assert.match(await page.locator('[data-node="worker-9"]').innerText(), /Cordoned/);
    await shot(page, '03-changed-nodes');
    await nodes.fill(original);
    await until(page, () => document.querySelectorAll('[data-node]').length === 3);
  });

  test('the mode switch changes mode and the Pod YAML panel shows both modes', async () => {
    const { page } = app;
    await page.locator('[data-node="worker-1"] .node-name').click();
    const current = page.locator('.pod-yaml[data-mode="current"]');
    const legacy = page.locator('.pod-yaml[data-mode="legacy"]');
    await current.waitFor();
    const cur = await current.innerText();
    assert.match(cur, /matchFields/);
    assert.match(cur, /metadata\.name/);
    const curMarked = await current.locator('mark.hl').allInnerTexts();
    assert.ok(curMarked.join('').includes('worker-1'), `highlighted lines: ${curMarked}`);
    assert.ok(curMarked.some((l) => l.includes('nodeAffinity')), 'nodeAffinity highlighted');
    const leg = await legacy.innerText();
    assert.match(leg, /nodeName: worker-1/);
    const legMarked = await legacy.locator('mark.hl').allInnerTexts();
    assert.ok(legMarked.some((l) => l.includes('nodeName: worker-1')), `legacy highlighted: ${legMarked}`);

    const legacyRadio = page.getByRole('radio', { name: /Legacy \(before v1\.12\)/ });
    await legacyRadio.check();
    assert.equal(await legacyRadio.isChecked(), true);
    assert.equal(await page.getByRole('radio', { name: /Current \(v1\.12\+\)/ }).isChecked(), false);
    await until(page, () => document.querySelector('.mode-option.active')?.textContent.includes('Legacy'));
    assert.deepEqual(await cardNames(), ['control-plane-1', 'worker-1', 'worker-2']);
    await shot(page, '04-legacy-selected');
    await page.getByRole('radio', { name: /Current \(v1\.12\+\)/ }).check();
  });

  test('keyboard: the editors, the mode switch and the node buttons are reachable with Tab', async () => {
    const { page } = app;
    await page.locator('body').focus();
    const seen = new Set();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a) return '';
        return a.getAttribute('aria-label') || a.id || a.textContent.trim().slice(0, 40);
      });
      seen.add(label);
    }
    const all = [...seen].join(' | ');
    assert.ok(seen.has('DaemonSet YAML'), all);
    assert.ok(seen.has('Nodes YAML'), all);
    assert.ok([...seen].some((s) => s.includes('worker-1')), all);
  });

  test('a big paste at the caret keeps the text around it, goes to the worker unread by the page, and opens with Edit anyway', async () => {
    const { page } = app;
    const nodes = page.getByRole('textbox', { name: 'Nodes YAML' });
    const before = `${nodeYaml('keep-me')}---\n`;
    await nodes.fill(before);
    await until(page, () => document.querySelector('[data-node="keep-me"]'));
    // Over 1 MB (the edit limit): 1,000 nodes padded with labels.
    const count = await page.evaluate(() => {
      const pad = Array.from({ length: 30 }, (_, k) => `    example.com/label-${k}: value-${k}`).join('\n');
      const docs = Array.from({ length: 1000 }, (_, i) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: big-${i}\n  labels:\n${pad}\n`);
      const big = docs.join('---\n');
      const ta = document.querySelector('textarea[aria-label="Nodes YAML"]');
      ta.focus();
      ta.setSelectionRange(ta.value.length, ta.value.length);
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', big);
      ta.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData }));
      return big.length;
    });
    assert.ok(count > 1 << 20, `the paste is over the edit limit: ${count}`);
    await until(page, () => document.querySelectorAll('[data-node]').length === 1001, undefined, 30000);
    assert.ok(await page.locator('[data-node="keep-me"]').count(), 'the text before the caret is kept');
    assert.ok(await page.locator('[data-node="big-999"]').count(), 'the pasted text is read');
    await page.getByText(/million characters: too big to edit here/).waitFor();
    assert.equal(await nodes.inputValue(), '');
    await page.getByRole('button', { name: 'Edit anyway (slow)' }).click();
    await until(page, () => document.querySelector('textarea[aria-label="Nodes YAML"]').value.length > 1 << 20);
    const value = await nodes.inputValue();
    assert.ok(value.startsWith(before), 'the box holds the text before the caret first');
    assert.ok(value.endsWith('example.com/label-29: value-29\n'), 'then the pasted text');
    assert.equal(await page.locator('.editor-big').count(), 0);
    await shot(page, '07-big-paste-edited');
    // Back to a small cluster for the tests after this one (set as typing would: playwright's
    // fill waits for a 720,000-pixel-high box to be still, and times out).
    await page.evaluate((text) => {
      const ta = document.querySelector('textarea[aria-label="Nodes YAML"]');
      ta.value = text;
      ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
    }, nodeYaml('control-plane-1'));
    await until(page, () => document.querySelectorAll('[data-node]').length === 1, undefined, 30000);
  });

  test('no console errors, failed requests or page errors', () => {
    assert.deepEqual(app.problems, []);
  });
});
