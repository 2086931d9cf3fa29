// Lessons and quizzes in a real browser (release build): the list, a lesson with its live
// scenario, answers graded by the core (right, wrong, predict, order, fix-the-YAML), progress kept
// across a reload, the FSRS review session bringing the missed question first (and sending it
// away for days once answered right), progress saved by the previous version migrated, corrupted
// storage, and reset. Right answers come from the lesson files (stable facts written there) or from the app's
// own feedback after a first try: the test types no scheduling rule.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOTS, drawn, launch, openApp, serveStatic, shot, until } from './helpers.mjs';

const KEY = 'dslab.progress.v2';
const OLD_KEY = 'dslab.progress.v1';
const DAY = 86_400_000;
const questionCount = (file) => readFileSync(join(ROOT, 'lessons', file), 'utf8').split('\n---\n')[0].match(/^- id: /gm).length;
const NODE_JOIN_QUESTIONS = questionCount('02-node-join.md');
const LESSON_FILES = readdirSync(join(ROOT, 'lessons')).filter((f) => /^\d\d-.*\.md$/.test(f));

/** The lines of one question's entry in a lesson file. */
function questionBlock(file, id) {
  const lines = readFileSync(join(ROOT, 'lessons', file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l === `- id: ${id}`);
  assert.ok(start >= 0, `question ${id} in ${file}`);
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('- ') || l === '---'));
  return lines.slice(start, end);
}
/** A one-line value (`  key: value`), unquoted. */
function field(block, key) {
  const line = block.find((l) => l.startsWith(`  ${key}: `));
  return line.slice(key.length + 4).trim().replace(/^"(.*)"$/, '$1');
}
/** A list under `  key:` (`  - item` lines). */
function listField(block, key) {
  const i = block.indexOf(`  ${key}:`);
  const out = [];
  for (const l of block.slice(i + 1)) {
    if (!l.startsWith('  - ')) break;
    out.push(l.slice(4).trim());
  }
  return out;
}
/** A block scalar (`  key: |`), dedented. */
function blockScalar(block, key) {
  const i = block.indexOf(`  ${key}: |`);
  const out = [];
  for (const l of block.slice(i + 1)) {
    if (!l.startsWith('    ')) break;
    out.push(l.slice(4));
  }
  return `${out.join('\n')}\n`;
}

describe('lessons and quizzes (release build)', () => {
  let server;
  let browser;
  let app;

  before(async () => {
    server = await serveStatic(join(ROOT, 'dist'));
    browser = await launch();
    app = await openApp(browser, `${server.url}/`, { reducedMotion: 'reduce' });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const q = (id) => app.page.locator(`[data-question="${id}"]`);
  const check = (id) => q(id).getByRole('button', { name: 'Check answer' }).click();
  const feedback = (id) => q(id).locator('.feedback');
  const toLessons = async () => {
    await app.page.locator('.site-nav').getByRole('link', { name: 'Lessons' }).click();
    await app.page.locator('.lesson-item').first().waitFor();
  };
  const openLesson = async (id) => {
    await app.page.goto(`${server.url}/#/lesson/${id}`);
    await app.page.locator(`.lesson-page[data-lesson="${id}"] .lesson-body`).waitFor();
  };
  const saved = () => app.page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);

  test('the list shows every lesson in order, with the review entry', async () => {
    const { page } = app;
    await toLessons();
    assert.match(page.url(), /#\/lessons$/);
    assert.equal(await page.locator('.lesson-item').count(), LESSON_FILES.length);
    const ids = await page.$$eval('.lesson-item', (els) => els.map((e) => e.dataset.lesson));
    // The list follows `order`, which the lesson files keep in step with their names.
    const wantIds = LESSON_FILES.sort().map((f) => readFileSync(join(ROOT, 'lessons', f), 'utf8').match(/^id: (.+)$/m)[1]);
    assert.deepEqual(ids, wantIds);
    assert.match(await page.locator('.review-count').innerText(), /Nothing is due for review/);
    assert.match(await page.locator('.lesson-item').first().innerText(), /Not started/);
    assert.equal(await page.locator('.site-nav a[aria-current="page"]').innerText(), 'Lessons');
    await shot(page, '20-lessons-list');
  });

  test('the skip link moves the focus to the page\'s content and stays on the page', async () => {
    const { page } = app;
    const skip = async () => {
      // The first thing in the page: what Tab reaches first on a fresh load.
      assert.equal(await page.evaluate(() => document.querySelector('a[href], button, input, textarea, select')?.className), 'skip-link');
      await page.locator('.skip-link').focus();
      const label = await page.evaluate(() => document.activeElement.textContent);
      await page.keyboard.press('Enter');
      return { label, hash: await page.evaluate(() => location.hash), focused: await page.evaluate(() => document.activeElement?.id) };
    };
    // (The link's `#cluster-title`, read as a route, once took a lesson's reader to the playground.)
    await toLessons();
    assert.deepEqual(await skip(), { label: 'Skip to the content', hash: '#/lessons', focused: 'main' });
    await page.locator('.site-nav').getByRole('link', { name: 'Playground' }).click();
    await page.locator('#cluster-title').waitFor();
    assert.deepEqual(await skip(), { label: 'Skip to the cluster', hash: '#/', focused: 'cluster-title' });
  });

  test('every lesson renders its body and all its questions, without errors', async () => {
    const { page } = app;
    for (const f of LESSON_FILES) {
      const text = readFileSync(join(ROOT, 'lessons', f), 'utf8');
      const id = text.match(/^id: (.+)$/m)[1];
      const questions = text.split('\n---\n')[0].match(/^- id: /gm)?.length ?? 0;
      await page.goto(`${server.url}/#/lesson/${id}`);
      await page.locator(`.lesson-page[data-lesson="${id}"] .lesson-body h2`).first().waitFor();
      assert.equal(await page.locator('[data-question]').count(), questions, id);
      // The scenario's cards come from the simulation worker.
      await page.locator('.lesson-live [data-node]').first().waitFor({ timeout: 10000 });
      assert.equal(await page.locator('.question-error, .player-error').count(), 0, id);
    }
    assert.deepEqual(app.problems, []);
    await toLessons();
  });

  test('a lesson: Markdown body, myth callout, and its scenario plays in the same player', async () => {
    const { page } = app;
    await page.locator('.lesson-item[data-lesson="node-join"] a').click();
    await page.locator('.lesson-page[data-lesson="node-join"]').waitFor();
    // Headings carry their anchors; lists, code and a labelled myth callout render as elements.
    assert.equal(await page.locator('.lesson-body h3#three-actors').count(), 1);
    assert.ok((await page.locator('.lesson-body ol li').count()) >= 4);
    assert.ok((await page.locator('.lesson-body code').count()) > 3);
    const myth = page.locator('.lesson-body .myth-callout').first();
    assert.match(await myth.innerText(), /Myth:[\s\S]*Truth:/);
    // In-app links: another lesson's section.
    assert.equal(
      await page.locator('.lesson-body a[href="#/lesson/taints-and-tolerations#automatic-tolerations"]').count(),
      1,
    );
    // The live scenario: before the first step nothing runs on worker-1; at the end worker-3 has
    // joined and runs its pod.
    const live = page.locator('.lesson-live');
    await live.locator('[data-node="worker-1"]').waitFor();
    await drawn(page);
    const phases = (node) =>
      live.locator(`[data-node="${node}"] [data-phase]`).evaluateAll((els) => els.map((e) => e.dataset.phase));
    assert.deepEqual(await phases('worker-1'), []);
    assert.equal(await live.locator('[data-node="worker-3"]').count(), 0);
    const total = Number((await live.locator('.step-count').innerText()).match(/of (\d+)/)[1]);
    await live.getByRole('button', { name: 'Step forward', exact: true }).click();
    await live.getByLabel('Timeline').fill(String(total - 1));
    await until(page, () => document.querySelector('.lesson-live [data-node="worker-3"] [data-phase]'));
    assert.deepEqual(await phases('worker-1'), ['Running']);
    assert.deepEqual(await phases('worker-3'), ['Running']);
    await live.getByRole('button', { name: 'Restart', exact: true }).click();
    await live.getByRole('button', { name: 'Play', exact: true }).click();
    await until(page, () => Number(document.querySelector('.lesson-live .step-count').textContent.match(/step (\d+)/)[1]) >= 2);
    await live.getByRole('button', { name: 'Pause', exact: true }).click();
    // "Try it in the playground" loads the same scenario there, from the start.
    await live.getByRole('button', { name: 'Try it in the playground' }).click();
    await until(page, () => location.hash === '#/');
    await page.locator('.player-live .step-count').waitFor();
    assert.match(await page.locator('.step-count').innerText(), /^step 1 of /);
    assert.match(await page.locator('.cluster-summary').innerText(), /A new worker boots/);
    assert.match(await page.locator('.site-nav a[aria-current="page"]').innerText(), /Playground/);
    await page.goBack();
    await page.locator('.lesson-page[data-lesson="node-join"] .lesson-live [data-node]').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, '21-lesson-player.png') });
  });

  test('answers: one right, one wrong, with feedback, explanation, myth and section link', async () => {
    const { page } = app;
    // Right: a true/false whose answer is written in the lesson file.
    const tf = questionBlock('02-node-join.md', 'node-join-not-ready-myth');
    const truth = field(tf, 'answer') === 'true' ? 'True' : 'False';
    await q('node-join-not-ready-myth').getByLabel(truth, { exact: true }).check();
    await check('node-join-not-ready-myth');
    const ok = feedback('node-join-not-ready-myth');
    await ok.waitFor();
    assert.match(await ok.getAttribute('class'), /\bok\b/);
    const okText = await ok.innerText();
    assert.match(okText, /✓\s*Right\./);
    assert.match(okText, /Myth this question tests:/);
    assert.equal(
      await ok.getByRole('link', { name: /Read the section/ }).getAttribute('href'),
      `#/lesson/node-join#${field(tf, 'section')}`,
    );
    // Wrong: a single choice, picking a choice other than the file's answer.
    const single = questionBlock('02-node-join.md', 'node-join-who-binds');
    const answer = field(single, 'answer');
    const wrong = listField(single, 'choices').find((c) => c !== answer);
    await q('node-join-who-binds').getByLabel(wrong, { exact: true }).check();
    await check('node-join-who-binds');
    const bad = feedback('node-join-who-binds');
    await bad.waitFor();
    const badText = await bad.innerText();
    assert.match(badText, /✗\s*Not quite\./);
    assert.match(badText, new RegExp(`The right answer: ${answer}`));
    assert.ok((await bad.locator('.explanation').innerText()).length > 40, 'explanation shown');
    // Announced: the feedback sits in a polite live region.
    assert.equal(await q('node-join-who-binds').locator('.feedback-live').getAttribute('aria-live'), 'polite');
    assert.match(await page.locator('.quiz-score').innerText(), /2 of \d+ answered · 1 right/);
    await q('node-join-who-binds').scrollIntoViewIfNeeded();
    await q('node-join-who-binds').screenshot({ path: join(SHOTS, '22-quiz-feedback-wrong.png') });
    await q('node-join-not-ready-myth').screenshot({ path: join(SHOTS, '23-quiz-feedback-right.png') });
  });

  test('predict the placement: the core computes the answer; a second try uses it', async () => {
    const id = 'node-join-not-ready-running';
    // First try: mark nothing ("no node runs it") and read what the core expects.
    await check(id);
    await feedback(id).waitFor();
    const text = await feedback(id).innerText();
    const expected = text.match(/The right answer: (.*)/)?.[1];
    if (expected) {
      const nodes = expected === 'no node' ? [] : expected.split(', ');
      assert.ok(nodes.length > 0, `some node runs fluent-bit: ${expected}`);
      await q(id).getByRole('button', { name: 'Try again' }).click();
      for (const n of nodes) await q(id).getByLabel(n, { exact: true }).check();
      await check(id);
      await feedback(id).waitFor();
    }
    assert.match(await feedback(id).innerText(), /Right\./);
    // The options are the cluster's nodes at that moment, from the core (worker-3 has joined).
    const opts = await q(id).locator('input[type="checkbox"]').evaluateAll((els) => els.map((e) => e.value));
    assert.ok(opts.includes('worker-3'), opts.join());
    await q(id).scrollIntoViewIfNeeded();
    await q(id).screenshot({ path: join(SHOTS, '26-quiz-predict.png') });
  });

  test('order the steps with the keyboard (Move up / Move down)', async () => {
    const { page } = app;
    const id = 'node-join-order';
    const steps = listField(questionBlock('02-node-join.md', id), 'steps');
    const texts = () => q(id).locator('.order-text').allInnerTexts();
    assert.notDeepEqual(await texts(), steps, 'shuffled');
    await q(id).scrollIntoViewIfNeeded();
    await q(id).screenshot({ path: join(SHOTS, '27-quiz-order-shuffled.png') });
    // Dragging: the last step dropped on the first one takes its place.
    const before = await texts();
    const items = q(id).locator('.order-item');
    await items.nth(before.length - 1).dragTo(items.nth(0));
    await until(page, ([qid, t]) => document.querySelector(`[data-question="${qid}"] .order-text`).textContent === t, [id, before.at(-1)]);
    assert.deepEqual(await texts(), [before.at(-1), ...before.slice(0, -1)]);
    // Selection sort with the buttons, pressed from the keyboard.
    for (let i = 0; i < steps.length; i++) {
      for (;;) {
        const now = await texts();
        const at = now.indexOf(steps[i]);
        if (at === i) break;
        const up = q(id).getByRole('button', { name: `Move up: ${steps[i]}` });
        await up.focus();
        await page.keyboard.press('Enter');
        await until(page, ([qid, n]) => document.querySelectorAll(`[data-question="${qid}"] .order-text`).length === n, [id, steps.length]);
      }
    }
    assert.deepEqual(await texts(), steps);
    // Focus stayed on a move button of the step that moved.
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /^Move (up|down): /);
    await check(id);
    await feedback(id).waitFor();
    assert.match(await feedback(id).innerText(), /Right\./);
  });

  test('fix the YAML: a parse error shows its line and column; the file\'s solution is accepted', async () => {
    const { page } = app;
    await openLesson('taints-and-tolerations');
    const id = 'taints-fix-control-plane';
    const area = q(id).locator('textarea');
    await area.fill('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x\n');
    await check(id);
    await feedback(id).waitFor();
    assert.match(await feedback(id).locator('.yaml-error').innerText(), /does not parse — line \d+, column \d+/);
    await q(id).getByRole('button', { name: 'Try again' }).click();
    // The edit survives "Try again".
    assert.match(await area.inputValue(), /name: x/);
    await area.fill(blockScalar(questionBlock('06-taints-and-tolerations.md', id), 'solution'));
    await check(id);
    await feedback(id).waitFor();
    const text = await feedback(id).innerText();
    assert.match(text, /Right\./);
    assert.match(text, /it would run on: control-plane/);
    await q(id).scrollIntoViewIfNeeded();
    await q(id).screenshot({ path: join(SHOTS, '24-quiz-fix-yaml.png') });
    await page.goto(`${server.url}/#/lesson/node-join#not-ready-new-node`);
    await page.locator('#not-ready-new-node').waitFor();
    await until(page, () => {
      const r = document.getElementById('not-ready-new-node').getBoundingClientRect();
      return r.top >= 0 && r.top < 200;
    });
  });

  test('progress survives a reload; review brings the missed question first, then spaces it out', async () => {
    const { page } = app;
    const before = await saved();
    assert.equal(before.version, 2);
    // Missed questions are due at once; the first missed comes first.
    const now = await page.evaluate(() => Date.now());
    const dueNow = Object.entries(before.cards).filter(([, c]) => c.due <= now).sort((a, b) => a[1].due - b[1].due);
    assert.equal(dueNow[0][0], 'node-join-who-binds');
    // Right on the first try: due in days.
    assert.ok(before.cards['node-join-not-ready-myth'].due > now + 2 * DAY);
    await page.reload();
    await page.locator('[data-node]').first().waitFor();
    await toLessons();
    const item = page.locator('.lesson-item[data-lesson="node-join"]');
    assert.match(await item.innerText(), /In progress/);
    assert.match(await item.innerText(), new RegExp(`4 of ${NODE_JOIN_QUESTIONS} answered · 3 right`));
    const count = await page.locator('.review-count').innerText();
    assert.match(count, new RegExp(`^${dueNow.length} questions? (is|are) due today`));
    await page.getByRole('link', { name: 'Start a review' }).click();
    await page.locator('.review-item').waitFor();
    assert.equal(await page.locator('.review-item [data-question]').getAttribute('data-question'), 'node-join-who-binds');
    assert.match(await page.locator('.review-pos').innerText(), new RegExp(`Question 1 of ${dueNow.length}[\\s\\S]*Missed last time`));
    const single = questionBlock('02-node-join.md', 'node-join-who-binds');
    await page.locator('.review-item').getByLabel(field(single, 'answer'), { exact: true }).check();
    await page.locator('.review-item').getByRole('button', { name: 'Check answer' }).click();
    assert.match(await page.locator('.review-item .feedback').innerText(), /Right\./);
    // Right in review: FSRS sends it away for days, and it is no longer due today.
    const after1 = await saved();
    const card = after1.cards['node-join-who-binds'];
    assert.ok(card.due > now + 2 * DAY, `due ${new Date(card.due).toISOString()}`);
    assert.equal(card.reps, 2);
    assert.equal(after1.answers['node-join-who-binds'], true);
    await page.getByRole('button', { name: 'Next question' }).click();
    await shot(page, '25-review');
    // Skip the rest: the round ends, and says what is still due.
    for (let i = 1; i < dueNow.length; i++) await page.getByRole('button', { name: 'Skip' }).click();
    await page.locator('.review-done').waitFor();
    assert.match(await page.locator('.review-done').innerText(), /1 of \d+ right on the first try[\s\S]*still due today/);
    await toLessons();
    assert.match(await page.locator('.review-count').innerText(), new RegExp(`^${dueNow.length - 1} questions? (is|are) due today`));
  });

  test('progress saved by the previous version (a review queue) is migrated without loss', async () => {
    const { page } = app;
    const mine = await page.evaluate((k) => localStorage.getItem(k), KEY);
    const v1 = {
      version: 1,
      answers: { 'node-join-who-binds': false, 'node-join-not-ready-myth': true, 'node-join-order': true },
      completed: [],
      review: [{ q: 'node-join-who-binds', lesson: 'node-join', right: 0 }],
    };
    await page.evaluate(([k, old, v]) => {
      localStorage.removeItem(k);
      localStorage.setItem(old, v);
    }, [KEY, OLD_KEY, JSON.stringify(v1)]);
    await page.reload();
    await page.locator('.site-nav').waitFor();
    await toLessons();
    assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), new RegExp(`3 of ${NODE_JOIN_QUESTIONS} answered · 2 right`));
    assert.match(await page.locator('.review-count').innerText(), /^1 question is due today/);
    assert.equal(await page.locator('.saving-note').innerText(), '');
    const migrated = await saved();
    assert.equal(migrated.version, 2);
    assert.deepEqual(Object.keys(migrated.cards).sort(), Object.keys(v1.answers).sort());
    assert.deepEqual(migrated.answers, v1.answers);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), OLD_KEY), JSON.stringify(v1), 'the old entry is left alone');
    // Back to this run's own progress.
    await page.evaluate(([k, old, v]) => {
      localStorage.removeItem(old);
      localStorage.setItem(k, v);
    }, [KEY, OLD_KEY, mine]);
    await page.reload();
    await page.locator('.site-nav').waitFor();
  });

  test('corrupted or foreign saved progress never breaks the lessons', async () => {
    const { page } = app;
    for (const garbage of ['{not json', '{"version":99,"answers":{}}', '[]', '{"version":2,"cards":{"x":1}}']) {
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, garbage]);
      await page.goto(`${server.url}/#/lessons`);
      await page.reload();
      await page.locator('.lesson-item').first().waitFor();
      assert.equal(await page.locator('.lesson-item').count(), LESSON_FILES.length, garbage);
      assert.match(await page.locator('.saving-note').innerText(), /kept for this visit only/, garbage);
      assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), /Not started/);
    }
    await shot(page, '28-lessons-corrupted-storage');
    // Answering again writes a good copy.
    await openLesson('node-join');
    const tf = questionBlock('02-node-join.md', 'node-join-not-ready-myth');
    await q('node-join-not-ready-myth').getByLabel(field(tf, 'answer') === 'true' ? 'True' : 'False', { exact: true }).check();
    await check('node-join-not-ready-myth');
    await feedback('node-join-not-ready-myth').waitFor();
    assert.equal((await saved()).version, 2);
    assert.equal(await page.locator('.saving-note').innerText(), '');
  });

  test('storage full or disabled: progress lives in memory, the page says so', async () => {
    const cases = [
      {
        name: 'full',
        init: () => {
          Storage.prototype.setItem = () => {
            throw new DOMException('full', 'QuotaExceededError');
          };
        },
        says: /refused to save/,
      },
      {
        name: 'disabled',
        init: () => {
          Object.defineProperty(window, 'localStorage', {
            get() {
              throw new DOMException('denied', 'SecurityError');
            },
          });
        },
        says: /does not allow local storage/,
      },
    ];
    for (const c of cases) {
      const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, reducedMotion: 'reduce' });
      await context.addInitScript(c.init);
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      // A deep link to a section, opened fresh: the page scrolls to it.
      await page.goto(`${server.url}/#/lesson/node-join#not-ready-new-node`);
      await page.locator('.lesson-live [data-node]').first().waitFor();
      await until(page, () => {
        const r = document.getElementById('not-ready-new-node')?.getBoundingClientRect();
        return r && r.top >= 0 && r.top < 200;
      });
      const tf = questionBlock('02-node-join.md', 'node-join-not-ready-myth');
      const card = page.locator('[data-question="node-join-not-ready-myth"]');
      await card.getByLabel(field(tf, 'answer') === 'true' ? 'True' : 'False', { exact: true }).check();
      await card.getByRole('button', { name: 'Check answer' }).click();
      assert.match(await card.locator('.feedback').innerText(), /Right\./, c.name);
      assert.match(await page.locator('.quiz .saving-note').innerText(), c.says, c.name);
      // In memory, the list still shows the answer.
      await page.locator('.site-nav').getByRole('link', { name: 'Lessons' }).click();
      assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), new RegExp(`1 of ${NODE_JOIN_QUESTIONS} answered · 1 right`), c.name);
      assert.deepEqual(problems, [], c.name);
      await context.close();
    }
  });

  test('reset progress asks first', async () => {
    const { page } = app;
    await page.goto(`${server.url}/#/lessons`);
    await page.locator('.lesson-item').first().waitFor();
    assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), new RegExp(`1 of ${NODE_JOIN_QUESTIONS} answered`));
    await page.getByRole('button', { name: 'Reset progress…' }).click();
    // The confirmation takes the focus on Cancel; Cancel keeps everything.
    await until(page, () => document.activeElement?.textContent === 'Cancel');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), new RegExp(`1 of ${NODE_JOIN_QUESTIONS} answered`));
    await page.getByRole('button', { name: 'Reset progress…' }).click();
    await page.getByRole('button', { name: 'Yes, erase my progress' }).click();
    assert.match(await page.locator('.lesson-item[data-lesson="node-join"]').innerText(), /Not started/);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), OLD_KEY), null);
    assert.deepEqual(app.problems, []);
  });
});
