// Browser figures for the Audit page (a benchmark, not a test): the built app (dist/) served on
// 127.0.0.1 in headless Chromium; a cluster dump picked with the file input RUNS times in one page:
// the first run is cold (the worker's wasm still runs V8's baseline code; a user's first audit),
// the later ones warm (its hot functions optimized). Prints, per run, the ms from the pick until
// the report is on screen ("audited") and until every cell of the picture is drawn, the long
// main-thread tasks (PerformanceObserver "longtask", [ms after the pick, duration]) and, for
// frames over 50 ms, where the time went ("long-animation-frame": scripts, then style and layout).
// WARM=small-dump.yaml audits that file first, untimed (how much a small audit warms the wasm).
// PAUSE=ms waits that long after the page is up before the first pick, as a user choosing a file
// does (the page's own warm-up runs meanwhile); by default the file is picked at once.
// TRACE=1 prints each frame from the report to the last cell: [ms after the pick, cells drawn].
//
//   scripts/make-dump.py --nodes 5000 --outdated 10 > target/dump-5k-audit.yaml
//   node scripts/bench-audit-browser.mjs target/dump-5k-audit.yaml 3
//   scripts/make-dump.py --nodes 5000 --outdated 10 --json > target/dump-5k-audit.json
//   node scripts/bench-audit-browser.mjs target/dump-5k-audit.json
//
// The times are taken in the page: from the file input's change event (the moment a user's pick
// reaches the page) to the first frame painted after the status says "Audited" (and after the
// picture's last chunk), as a MutationObserver sees the text change. Polled from Node, as this
// script did before, they came out up to ~100 ms later (both are printed).
import { join } from 'node:path';
import { ROOT, launch, newPage, serveStatic, until } from '../tests/helpers.mjs';

const [file, runs = '2'] = process.argv.slice(2);
const warm = process.env.WARM;
if (!file) {
  console.error('usage: node scripts/bench-audit-browser.mjs DUMP [RUNS]');
  process.exit(2);
}
// DIST=other/dist compares another build.
const server = await serveStatic(process.env.DIST ?? join(ROOT, 'dist'));
const browser = await launch();
try {
  const { page } = await newPage(browser);
  await page.goto(`${server.url}/#/audit`);
  await page.waitForSelector('#audit-file', { state: 'attached', timeout: 60000 });
  await page.waitForTimeout(Number(process.env.PAUSE ?? 0));
  await page.evaluate(() => {
    window.__long = [];
    window.__frames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push([Math.round(e.startTime - window.__t0), Math.round(e.duration)]);
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration <= 50) continue;
        const end = e.startTime + e.duration;
        window.__frames.push({
          at: Math.round(e.startTime - window.__t0),
          ms: Math.round(e.duration),
          scripts: e.scripts.map((s) => `${s.invoker} ${Math.round(s.duration)}`).join(', '),
          styleAndLayout: Math.round(end - e.styleAndLayoutStart),
        });
      }
    }).observe({ type: 'long-animation-frame' });
    // In-page marks: the pick, then the first frame after each text appears (a frame, then a task
    // after it: the page has painted).
    window.__marks = {};
    const afterPaint = (key) => {
      window.__marks[key] = -1;
      requestAnimationFrame(() => setTimeout(() => { window.__marks[key] = performance.now(); }));
    };
    document.addEventListener('change', (e) => {
      if (e.target.id === 'audit-file') window.__marks.pick = performance.now();
    }, true);
    new MutationObserver(() => {
      const m = window.__marks;
      if (m.pick === undefined) return;
      if (m.audited === undefined && /^Audited /.test(document.querySelector('.audit-status')?.textContent ?? '')) {
        afterPaint('audited');
        // Each frame until the picture is drawn: [ms after the pick, cells so far].
        window.__trace = [];
        const frame = (t) => {
          window.__trace.push([Math.round(t - m.pick), document.querySelectorAll('.cells .cell').length]);
          if (m.drawn === undefined || m.drawn < 0) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }
      if (m.audited !== undefined && m.drawn === undefined && /^\d+ nodes\.$/.test(document.querySelector('.cell-progress')?.textContent ?? '')) afterPaint('drawn');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  if (warm) {
    await page.locator('#audit-file').setInputFiles(warm);
    await until(page, () => /^Audited /.test(document.querySelector('.audit-status')?.textContent ?? ''), undefined, 120000);
  }
  for (let run = 1; run <= Number(runs); run++) {
    await page.evaluate(() => {
      window.__long = [];
      window.__frames = [];
      window.__marks = {};
      window.__t0 = performance.now();
    });
    await page.locator('#audit-file').setInputFiles(file);
    await until(page, () => /^Auditing /.test(document.querySelector('.audit-status')?.textContent ?? ''), undefined, 10000);
    const since = () => page.evaluate(() => Math.round(performance.now() - window.__t0));
    await until(page, () => /^Audited /.test(document.querySelector('.audit-status')?.textContent ?? ''), undefined, 120000);
    const audited = await since();
    // "5000 nodes." once the picture's last chunk is in ("Drawing n of N nodes…" before).
    await until(page, () => /^\d+ nodes\.$/.test(document.querySelector('.cell-progress')?.textContent ?? ''), undefined, 120000);
    const drawn = await since();
    // Long tasks after the report (the simulations' answer, the what-if chart) are counted too.
    await page.waitForTimeout(1500);
    const { long, frames, marks } = await page.evaluate(() => ({ long: window.__long, frames: window.__frames, marks: window.__marks }));
    const fromPick = (key) => Math.round(marks[key] - marks.pick);
    console.log(`run ${run}: audited ${fromPick('audited')} ms, drawn ${fromPick('drawn')} ms from the pick (polled from Node: ${audited}, ${drawn}), long tasks ${JSON.stringify(long)}`);
    if (process.env.TRACE) {
      const offset = await page.evaluate(() => Math.round(window.__marks.pick - window.__t0));
      console.log(`  frames: ${JSON.stringify(await page.evaluate(() => window.__trace))} (the pick was ${offset} ms after the long tasks' 0)`);
    }
    for (const f of frames) console.log(`  frame at ${f.at} ms: ${f.ms} ms (${f.scripts}; style and layout ${f.styleAndLayout})`);
  }
} finally {
  await browser.close();
  await server.close();
}
