// Shared helpers for the browser tests: a small static file server (no network beyond
// 127.0.0.1) and Debian's headless Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const SHOTS = join(ROOT, 'target', 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Serves `dir` on 127.0.0.1 at a free port. Directories serve their index.html. */
export function serveStatic(dir) {
  const root = resolve(dir);
  if (!existsSync(join(root))) throw new Error(`nothing to serve: ${root} does not exist (build first)`);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * Opens `url` in a fresh context and waits for the first node card. Returns the page, the list
 * of console errors / page errors / failed requests seen, and the first render time (ms since
 * navigation start, read in the page when the first card is there).
 */
/**
 * A page in a fresh context, and the list of console errors / page errors / failed requests it
 * will see (each test asserts the list stays empty).
 */
export async function newPage(browser, { viewport = { width: 1500, height: 1000 }, reducedMotion = 'no-preference', acceptDownloads = true } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion, acceptDownloads });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return { page, context, problems };
}

export async function openApp(browser, url, options = {}) {
  const { page, context, problems } = await newPage(browser, options);
  await page.goto(url);
  // A page that never shows a card fails the test after 60 s instead of hanging the run.
  const firstRenderMs = await page.evaluate(
    () =>
      new Promise((ok, fail) => {
        setTimeout(() => fail(new Error('no node card after 60 s')), 60000);
        const done = () => ok(performance.now());
        if (document.querySelector('[data-node]')) return done();
        new MutationObserver((_, obs) => {
          if (document.querySelector('[data-node]')) {
            obs.disconnect();
            done();
          }
        }).observe(document.body, { childList: true, subtree: true });
      }),
  );
  return { page, context, problems, firstRenderMs };
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls `fn` (run in the page with `arg`) until it returns a truthy value. */
export async function until(page, fn, arg, timeout = 10000) {
  const handle = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
  return handle.jsonValue();
}

/** The simulation worker has drawn the player's position (the cluster is not busy). */
export async function drawn(page, timeout = 10000) {
  await until(page, () => document.querySelector('section.cluster')?.getAttribute('aria-busy') === 'false', undefined, timeout);
}

export function nodeYaml(name, { labels = {}, taints = [], unschedulable = false, ready = 'True' } = {}) {
  const l = Object.entries({ 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels })
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  const t = taints.length
    ? `  taints:\n${taints.map((x) => `  - key: ${x.key}\n    effect: ${x.effect}${x.value ? `\n    value: ${x.value}` : ''}`).join('\n')}\n`
    : '';
  const spec = t || unschedulable ? `spec:\n${unschedulable ? '  unschedulable: true\n' : ''}${t}` : 'spec: {}\n';
  return `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels:\n${l}\n${spec}status:\n  conditions:\n  - type: Ready\n    status: "${ready}"\n`;
}
