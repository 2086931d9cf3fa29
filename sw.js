// DaemonSet Lab's service worker: keeps the app's own files, and the lesson files the app fetches,
// for offline use. Nothing else is fetched. The page registers it as ./sw.js?v=BUILD (BUILD: a fingerprint of this build's hashed
// file names), so each build gets its own cache and the previous one is deleted.
const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const CACHE = `dslab-${VERSION}`;
const SCOPE = self.registration.scope; // the app's folder, e.g. https://host/daemonset-lab/

// The files index.html names: hrefs, srcs and the module script's imports (the wasm, the JS glue,
// the CSS, each with trunk's content hash), all under this origin.
function filesOf(html) {
  // worker.js is started by the app, not named in index.html.
  const found = new Set([SCOPE, new URL('worker.js', SCOPE).href]);
  const re = /(?:href|src)=["']([^"']+)["']|(?:from|import\(|module_or_path:)\s*["']([^"']+)["']|["']([^"'\s]+\.(?:wasm|js|css))["']/g;
  for (const m of html.matchAll(re)) {
    const raw = m[1] || m[2] || m[3];
    if (!raw || raw.startsWith('data:') || raw.startsWith('#')) continue;
    try {
      const url = new URL(raw, SCOPE);
      if (url.origin === self.location.origin) found.add(url.href);
    } catch (_) {
      // not a URL
    }
  }
  return [...found];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch(SCOPE, { cache: 'no-store' });
      if (!res.ok) throw new Error(`index: HTTP ${res.status}`);
      const html = await res.clone().text();
      await cache.put(SCOPE, res);
      await cache.addAll(filesOf(html).filter((u) => u !== SCOPE));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('dslab-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  if (req.mode === 'navigate') {
    // The page: the network first (a new build shows at once), the cached copy offline.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          if (res.ok && url.pathname === new URL(SCOPE).pathname) await cache.put(SCOPE, res.clone());
          return res;
        } catch (err) {
          const hit = await cache.match(SCOPE);
          if (hit) return hit;
          throw err;
        }
      })(),
    );
    return;
  }
  // Lesson files (lessons/NN-slug.md) keep their name when they change: the network first, the
  // cached copy offline. The app fetches every lesson once this worker controls it, so all are kept.
  if (url.href.startsWith(`${SCOPE}lessons/`)) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          if (res.ok && res.type === 'basic') await cache.put(req, res.clone());
          return res;
        } catch (err) {
          const hit = await cache.match(req);
          if (hit) return hit;
          throw err;
        }
      })(),
    );
    return;
  }
  // The hashed files never change under their name: the cache first.
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // worker.js comes with the bundle's file names in its query: the one cached copy serves all.
      // It is given as a new response: a worker takes its address (and so that query) from the
      // response's URL, which for the cached copy is worker.js without the query.
      if (url.pathname.endsWith('/worker.js')) {
        const hit = await cache.match(req, { ignoreSearch: true });
        if (hit) return new Response(hit.body, { status: hit.status, headers: hit.headers });
      }
      const hit = await cache.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && res.type === 'basic') await cache.put(req, res.clone());
      return res;
    })(),
  );
});
