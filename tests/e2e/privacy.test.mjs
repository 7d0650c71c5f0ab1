// Privacy before the citizen acts: the widget sets no cookie, writes no local or session
// storage or IndexedDB, and contacts no origin but its own server — read from the browser's
// own cookie jar, storage and network log.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, realContact, startServer } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("until the citizen acts the widget leaves no trace and talks only to its server", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  // The notice stream never completes, so it is seen in the network log, not resource timing.
  const streamOpened = page.waitForRequest((r) => r.url().includes("/api/v1/notices/stream"));
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await realContact(widget);
  await streamOpened;

  assert.deepEqual(await context.cookies(), []);
  const storage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDb: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
  }));
  assert.deepEqual(storage, { local: 0, session: 0, indexedDb: 0, caches: 0 });
  assert.deepEqual([...new Set(urls.map((u) => new URL(u).origin))], [server.url]);
  // Nothing was asked of the contact form yet.
  assert.ok(!urls.some((u) => u.includes("/api/v1/messages")), urls.join("\n"));
  await context.close();
});
