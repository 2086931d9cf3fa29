// First paint and first verdict of the built app (dist/) on a throttled link, in headless
// Chromium (a benchmark, not a test). Files are served gzip-compressed, as GitHub Pages serves
// them; CDP Network.emulateNetworkConditions sets the link and Emulation.setCPUThrottlingRate
// the CPU slowdown.
//
//   node scripts/bench-network.mjs            # 20 Mbps / 20 ms, then 1.6 Mbps / 150 ms with 4x CPU
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, launch } from '../tests/helpers.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.md': 'text/markdown', '.json': 'application/json' };
const dist = process.env.DIST ?? join(ROOT, 'dist'); // DIST=other/dist compares another build
const server = createServer((req, res) => {
  let path = normalize(join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!path.startsWith(dist) || !existsSync(path)) return res.writeHead(404).end();
  const body = gzipSync(readFileSync(path));
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'no-store' });
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await launch();
const links = [
  { name: '20 Mbps / 20 ms', down: 20e6 / 8, latency: 20, cpu: 1 },
  { name: '1.6 Mbps / 150 ms, 4x CPU slowdown', down: 1.6e6 / 8, latency: 150, cpu: 4 },
];
try {
  for (const link of links) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latency, downloadThroughput: link.down, uploadThroughput: link.down });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: link.cpu });
    await page.goto(url);
    const t = await page.evaluate(
      () =>
        new Promise((ok) => {
          const done = () => {
            const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
            ok({ fcp: paint ? paint.startTime : -1, card: performance.now() });
          };
          if (document.querySelector('[data-node]')) return done();
          new MutationObserver((_, o) => {
            if (document.querySelector('[data-node]')) {
              o.disconnect();
              done();
            }
          }).observe(document.documentElement, { childList: true, subtree: true });
        }),
    );
    console.log(`# ${link.name}: first contentful paint ${t.fcp.toFixed(0)} ms, first verdict (node card) ${t.card.toFixed(0)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
