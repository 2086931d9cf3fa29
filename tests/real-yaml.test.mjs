// YAML as people have it, in the browser: a published manifest of many kinds with two
// DaemonSets (picker, skip note), a `kubectl get ds,nodes,pods -A -o yaml` dump pasted in the
// Nodes editor (its pods are the cluster's other pods) and imported as a file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, serveStatic, shot, until } from './helpers.mjs';

const FIXTURES = join(ROOT, 'crates', 'cli', 'tests', 'fixtures');
const PUBLISHED = readFileSync(join(FIXTURES, 'published-netlab.yaml'), 'utf8');
const DUMP = join(FIXTURES, 'cluster-dump.yaml');

describe('real YAML in the playground (release build)', () => {
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

  test('a published manifest: other kinds are skipped and named, a picker lists its DaemonSets', async () => {
    const { page } = app;
    await page.getByRole('textbox', { name: 'DaemonSet YAML' }).fill(PUBLISHED);
    const note = await until(page, () => document.querySelector('#ds-found')?.textContent);
    assert.match(
      note,
      /skipped 7 other objects: 1 Namespace, 1 ServiceAccount, 1 ClusterRole, 1 ClusterRoleBinding, 1 ConfigMap, 1 CustomResourceDefinition, 1 PodDisruptionBudget/,
    );
    assert.equal(await page.locator('#ds-yaml-error .error-line').count(), 0);
    const picker = page.getByLabel(/The file holds 2 DaemonSets/);
    const options = await picker.locator('option').allTextContents();
    assert.deepEqual(options, ['netlab-agent (namespace netlab-system)', 'netlab-collector (namespace netlab-system)']);
    // netlab-agent tolerates every taint: the control-plane node runs it.
    await until(page, () => /Pod runs here/.test(document.querySelector('[data-node="control-plane-1"]')?.innerText ?? ''));
    // The collector does not tolerate the control-plane taint.
    await picker.selectOption('netlab-system/netlab-collector');
    await until(page, () => /No (new )?pod/.test(document.querySelector('[data-node="control-plane-1"]')?.innerText ?? ''));
    await shot(page, '40-published-manifest-picker');
    // Keyboard: the picker is reachable and labelled.
    await picker.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ds-pick');
  });

  test('a dump in the Nodes editor: its pods occupy host ports, the DaemonSet own pods do not', async () => {
    const { page } = app;
    const dump = readFileSync(DUMP, 'utf8');
    await page.getByRole('textbox', { name: 'DaemonSet YAML' }).fill(dump);
    await page.getByRole('textbox', { name: 'Nodes YAML' }).fill(dump);
    await until(page, () => document.querySelectorAll('[data-node]').length === 3 && !!document.querySelector('[data-node="kind-worker2"]'));
    assert.deepEqual(await cardNames(), ['kind-control-plane', 'kind-worker', 'kind-worker2']);
    const pods = await until(page, () => document.querySelector('#nodes-pods')?.textContent);
    assert.match(pods, /^1 pod of other workloads, taken as the cluster's other pods.* 1 more belongs to the DaemonSet itself and is not counted\./);
    assert.match(await page.locator('[data-node="kind-worker"]').innerText(), /Pod runs here/);
    assert.match(await page.locator('[data-node="kind-worker2"]').innerText(), /port|2020/i);
    assert.match(await page.locator('#nodes-found').innerText(), /skipped 1 other object: 1 DaemonSet \(DaemonSets are read from the DaemonSet editor\)/);
    await shot(page, '41-dump-with-pods');
  });

  test('Import fills both editors from a cluster dump', async () => {
    const { page } = app;
    await page.locator('input[type="file"]').first().setInputFiles(join(FIXTURES, 'cluster-dump.json'));
    const said = await until(page, () => document.querySelector('.share-panel .share-note, .share-panel .share-problem')?.textContent);
    assert.match(said, /1 DaemonSet\(s\), 3 node\(s\), 2 pod\(s\)/);
    assert.match(await page.getByRole('textbox', { name: 'DaemonSet YAML' }).inputValue(), /name: log-shipper/);
    await until(page, () => document.querySelectorAll('[data-node]').length === 3);
  });

  test('a Helm template says to render it first; the cards stay', async () => {
    const { page } = app;
    const before = await cardNames();
    await page.getByRole('textbox', { name: 'DaemonSet YAML' }).fill('apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {{ .Release.Name }}\n');
    const text = await until(page, () => document.querySelector('#ds-yaml-error .error-line')?.textContent);
    assert.match(text, /Helm or Go template/);
    assert.match(text, /helm template/);
    assert.deepEqual(await cardNames(), before);
  });

  test('nodes pasted without conditions: one note above the cards, no warning on each', async () => {
    const { page } = app;
    const bare = ['bare-1', 'bare-2', 'bare-3']
      .map((n) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${n}\n  labels:\n    kubernetes.io/os: linux\n`)
      .join('---\n');
    await page.getByRole('textbox', { name: 'Nodes YAML' }).fill(bare);
    await until(page, () => !!document.querySelector('[data-node="bare-3"]'));
    const notes = await page.locator('.cluster-note').allInnerTexts();
    assert.equal(notes.length, 1, notes.join(' | '));
    assert.match(notes[0], /no conditions: taken as Ready/);
    for (const n of ['bare-1', 'bare-2', 'bare-3']) {
      assert.doesNotMatch(await page.locator(`[data-node="${n}"]`).innerText(), /Ready: unknown/);
    }
    await shot(page, '42-nodes-without-conditions');
  });

  test('no console errors, failed requests or page errors', () => {
    assert.deepEqual(app.problems, []);
  });
});
