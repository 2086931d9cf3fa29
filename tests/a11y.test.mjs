// Accessibility: axe-core (pinned in package.json, injected from node_modules — no network) on
// every page of the release build, in the light and the dark theme: the playground (with a
// scenario loaded, in presentation mode, and with Quiz me's questions), the lesson list, every lesson (with a right and a wrong answer's feedback
// shown on one of them), the review session with a question due, and the speaker notes. A serious
// or critical violation of WCAG 2.0/2.1 level A or AA fails the test; lesser ones are printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, serveStatic, until } from './helpers.mjs';

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LESSON_IDS = readdirSync(join(ROOT, 'lessons'))
  .filter((f) => /^\d\d-.*\.md$/.test(f))
  .sort()
  .map((f) => readFileSync(join(ROOT, 'lessons', f), 'utf8').match(/^id: (.+)$/m)[1]);

/** Runs axe on the page as it is; returns the violations, serious and critical first. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
    count: v.nodes.length,
  }));
}

const SERIOUS = new Set(['serious', 'critical']);

for (const scheme of ['light', 'dark']) {
  describe(`axe-core, ${scheme} theme (release build)`, () => {
    let server;
    let browser;
    let context;
    let page;
    const report = [];

    before(async () => {
      server = await serveStatic(join(ROOT, 'dist'));
      browser = await launch();
      context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: scheme, reducedMotion: 'reduce' });
      page = await context.newPage();
    });

    after(async () => {
      for (const r of report) console.log(`# ${scheme} ${r.page}: ${r.impact} ${r.id} (${r.count}) ${r.help}`);
      await browser?.close();
      await server?.close();
    });

    const check = async (name) => {
      assert.equal(
        await page.evaluate(() => document.documentElement.dataset.theme),
        scheme,
        `${name}: the page follows the system theme`,
      );
      const found = await audit(page);
      for (const v of found) report.push({ page: name, ...v });
      const serious = found.filter((v) => SERIOUS.has(v.impact));
      assert.deepEqual(serious, [], `${name}: serious or critical violations`);
    };

    test('the playground, with a scenario playing', async () => {
      await page.goto(`${server.url}/#/`);
      await page.locator('[data-node]').first().waitFor();
      await check('playground');
      await page.getByRole('button', { name: /Rolling update/ }).first().click();
      await page.locator('.step-count').waitFor();
      await page.getByRole('button', { name: 'Step forward', exact: true }).click();
      await check('playground, scenario loaded');
      await page.getByRole('button', { name: 'Presentation mode' }).click();
      await until(page, () => document.documentElement.classList.contains('presenting'));
      await check('presentation mode');
      await page.keyboard.press('Escape');
      await until(page, () => !document.documentElement.classList.contains('presenting'));
      await page.getByRole('button', { name: 'Quiz me', exact: true }).click();
      const first = page.locator('.quiz-me [data-question]').first();
      await first.locator('input').first().check();
      await first.getByRole('button', { name: 'Check answer' }).click();
      await first.locator('.feedback').waitFor();
      await check('playground, Quiz me with feedback');
    });

    test('the lesson list and every lesson', async () => {
      await page.goto(`${server.url}/#/lessons`);
      await page.locator('.lesson-item').first().waitFor();
      await check('lessons');
      for (const id of LESSON_IDS) {
        await page.goto(`${server.url}/#/lesson/${id}`);
        await page.locator(`.lesson-page[data-lesson="${id}"] .lesson-live [data-node]`).first().waitFor();
        await check(`lesson ${id}`);
      }
    });

    test('the audit page, a dump audited, a row open, the picture and the what-if', async () => {
      await page.goto(`${server.url}/#/audit`);
      await page.locator('#audit-text').waitFor();
      await check('audit, empty');
      const dump = readFileSync(join(ROOT, 'crates', 'cli', 'tests', 'fixtures', 'audit-dump.yaml'), 'utf8');
      await page.locator('#audit-text').fill(dump);
      await until(page, () => document.querySelectorAll('.cells .cell').length === 7);
      await page.locator('.audit-table').getByRole('button', { name: /node-agent/ }).click();
      await until(page, () => !!document.querySelector('#chart-whatif-words'));
      await page.locator('.chart-tables summary').click();
      await check('audit, a dump audited');
      await page.locator('#audit-text').fill('kind: [');
      await page.locator('#audit-error .error-line').waitFor();
      await check('audit, bad input');
    });

    test('answer feedback, right and wrong, and a review with a question due', async () => {
      await page.goto(`${server.url}/#/lesson/node-join`);
      const tf = page.locator('[data-question="node-join-not-ready-myth"]');
      await tf.getByLabel('False', { exact: true }).check();
      await tf.getByRole('button', { name: 'Check answer' }).click();
      const bad = page.locator('[data-question="node-join-who-binds"]');
      await bad.locator('input[type="radio"]').first().check();
      await bad.getByRole('button', { name: 'Check answer' }).click();
      await until(page, () => document.querySelectorAll('.feedback').length >= 2);
      await check('lesson with feedback');
      await page.goto(`${server.url}/#/review`);
      await page.locator('.review-item, .review-empty').first().waitFor();
      await check('review');
      await page.goto(`${server.url}/#/notes`);
      await page.locator('.speaker-notes').waitFor();
      await check('speaker notes');
    });
  });
}
