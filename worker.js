// DaemonSet Lab's simulation worker: it runs the app's own wasm (the page names its files in the
// query: ?glue=…&wasm=…), whose main() sees it is in a worker and serves the page's requests.
// Only files of this site are loaded.
const params = new URL(self.location.href).searchParams;
const sameSite = (raw) => {
  const url = new URL(raw ?? '', self.location.href);
  if (url.origin !== self.location.origin) throw new Error(`refusing to load ${url.href}`);
  return url.href;
};
const glue = await import(sameSite(params.get('glue')));
await glue.default({ module_or_path: sameSite(params.get('wasm')) });
