// "Quiz me" in a real browser (release build): questions made from the cluster in the editors,
// answered and graded, with explanations from the core's verdicts. The right answers are read off
// the app itself (the node cards, which come from the same core, or the feedback of a first try):
// the test types no scheduling rule. Practice answers are not saved as progress.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, launch, nodeYaml, openApp, serveStatic, shot, until } from './helpers.mjs';

describe('Quiz me on the playground cluster (release build)', () => {
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

  const quiz = () => app.page.locator('.quiz-me');
  const card = (id) => quiz().locator(`[data-question="${id}"]`);
  const check = (id) => card(id).getByRole('button', { name: 'Check answer' }).click();
  const feedback = (id) => card(id).locator('.feedback');
  /** The nodes whose card says the DaemonSet pod runs there. */
  const runningOnCards = async () => {
    const out = [];
    for (const el of await app.page.locator('[data-node]').all()) {
      if (/Pod runs here/.test(await el.innerText())) out.push(await el.getAttribute('data-node'));
    }
    return out;
  };
  /** Answers the "which nodes run it" card with `nodes` and returns the feedback text. */
  const answerRuns = async (nodes) => {
    for (const n of nodes) await card('quiz-me-runs').getByLabel(n, { exact: true }).check();
    await check('quiz-me-runs');
    await feedback('quiz-me-runs').waitFor();
    return feedback('quiz-me-runs').innerText();
  };

  test('questions about the example cluster, graded by the core', async () => {
    const { page } = app;
    await page.locator('[data-node]').first().waitFor();
    await page.getByRole('button', { name: 'Quiz me', exact: true }).click();
    await quiz().locator('[data-question]').first().waitFor();
    const ids = await quiz().locator('[data-question]').evaluateAll((els) => els.map((e) => e.dataset.question));
    for (const want of ['quiz-me-runs', 'quiz-me-first-wave']) assert.ok(ids.includes(want), `${want} in ${ids}`);
    assert.ok(ids.some((id) => id.startsWith('quiz-me-why-not-')), ids.join());
    assert.ok(ids.some((id) => id.startsWith('quiz-me-taint-noexecute-')), ids.join());
    assert.match(await quiz().locator('.quiz-me-about').innerText(), /made and answered by the simulation/);
    // Which nodes run it: the same answer as the node cards.
    const running = await runningOnCards();
    assert.ok(running.length > 0 && running.length < 3, running.join());
    const text = await answerRuns(running);
    assert.match(text, /Right\./);
    assert.match(text, /the pod is created and bound/);
    // Why not: a wrong choice; the explanation quotes the node's own reason, as its card shows it.
    const why = ids.find((id) => id.startsWith('quiz-me-why-not-'));
    const node = why.slice('quiz-me-why-not-'.length);
    await card(why).locator('input[type="radio"]').last().check();
    await check(why);
    await feedback(why).waitFor();
    const whyText = await feedback(why).innerText();
    assert.match(whyText, /(Right|Not quite)\./);
    const taint = (await page.locator(`[data-node="${node}"]`).innerText()).match(/node-role\.kubernetes\.io\/control-plane/)?.[0];
    assert.ok(taint, 'the card names the taint');
    assert.ok(whyText.includes(taint), whyText);
    // The first wave: a first try, then the core's answer.
    await card('quiz-me-first-wave').locator('input[type="radio"]').first().check();
    await check('quiz-me-first-wave');
    await feedback('quiz-me-first-wave').waitFor();
    const first = await feedback('quiz-me-first-wave').innerText();
    const expected = first.match(/The right answer: (.*)/)?.[1];
    if (expected) {
      await card('quiz-me-first-wave').getByRole('button', { name: 'Try again' }).click();
      await card('quiz-me-first-wave').getByLabel(expected, { exact: true }).check();
      await check('quiz-me-first-wave');
      await feedback('quiz-me-first-wave').waitFor();
    }
    assert.match(await feedback('quiz-me-first-wave').innerText(), /Right\.[\s\S]*(maxUnavailable|OnDelete|maxSurge)/);
    await quiz().scrollIntoViewIfNeeded();
    await shot(page, '40-quiz-me');
    // Practice: nothing is saved as lesson progress.
    const saved = await page.evaluate(() => localStorage.getItem('dslab.progress.v2'));
    assert.ok(!saved || !saved.includes('quiz-me'), saved);
  });

  test('a changed cluster gives new questions with new answers', async () => {
    const { page } = app;
    const nodes = page.getByRole('textbox', { name: 'Nodes YAML' });
    const original = await nodes.inputValue();
    await nodes.fill(
      [
        nodeYaml('worker-1'),
        nodeYaml('gpu-1', { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
        nodeYaml('worker-2'),
      ].join('---\n'),
    );
    await until(page, () => !!document.querySelector('[data-node="gpu-1"]'));
    await page.getByRole('button', { name: 'Quiz me', exact: true }).click();
    await card('quiz-me-why-not-gpu-1').waitFor();
    const running = await runningOnCards();
    assert.deepEqual(running.sort(), ['worker-1', 'worker-2']);
    assert.match(await answerRuns(running), /Right\./);
    // The NoExecute question about a node that runs the pod: answered with each choice in turn
    // until right; the explanation comes from the verdict for the changed node.
    const noexec = card('quiz-me-taint-noexecute-worker-1');
    const choices = await noexec.locator('input[type="radio"]').count();
    for (let i = 0; i < choices; i++) {
      await noexec.locator('input[type="radio"]').nth(i).check();
      await check('quiz-me-taint-noexecute-worker-1');
      await feedback('quiz-me-taint-noexecute-worker-1').waitFor();
      if (/Right\./.test(await feedback('quiz-me-taint-noexecute-worker-1').innerText())) break;
      await noexec.getByRole('button', { name: 'Try again' }).click();
    }
    assert.match(await feedback('quiz-me-taint-noexecute-worker-1').innerText(), /Right\.[\s\S]*example\.com\/quiz/);
    await nodes.fill(original);
    await until(page, () => document.querySelectorAll('[data-node]').length === 3 && !document.querySelector('[data-node="gpu-1"]'));
    assert.deepEqual(app.problems, []);
  });
});
