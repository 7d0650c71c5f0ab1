// The widget under fault: a notice stream that a proxy accepts but never forwards, a stream the
// server refuses (503 with Retry-After when its caps are reached) and the back-off between
// retries; the one 3-second promise when both the wasm and the API are slow; and the frame page
// that talks to its embedding origin only.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, operator, startHostServer, startServer } from "./support.mjs";

const STREAM = "/api/v1/notices/stream";
const LIST = "/api/v1/notices";
const BREMEN = "Behördennummer 115 – Bürgertelefon Bremen";
const ELTERNGELD = "99041006017000";

let server;
let browser;
let host;

before(async () => {
  [server, browser, host] = await Promise.all([startServer(), launchBrowser(), startHostServer()]);
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** Raises a notice for the demo form (Elterngeld in Bremen) titled `title`; returns it. */
function raise(title) {
  return operator(server, "POST", LIST, {
    kind: "incident",
    impact: "minor",
    services: [ELTERNGELD],
    regions: ["04"],
    content: { de: { title, answers_kept: "yes" } },
  });
}

const resolve = (notice) => operator(server, "PATCH", `${LIST}/${notice.id}`, { state: "resolved" });

/** Records when (node's clock, ms) the page requested the notice stream and the notice list. */
function noticeRequests(page) {
  const seen = { stream: [], list: [] };
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path === STREAM) seen.stream.push(Date.now());
    if (path === LIST) seen.list.push(Date.now());
  });
  return seen;
}

test("a notice stream that is accepted but never answered gives way to polling, and is tried again later", async () => {
  const page = await browser.newPage();
  const seen = noticeRequests(page);
  // As behind a proxy that buffers the stream: the request is accepted and never answered.
  await page.route(`**${STREAM}**`, () => {});
  const streamAsked = page.waitForRequest((r) => r.url().includes(STREAM));
  await page.goto(`${server.url}/demo/`);
  await streamAsked;
  const notice = await raise("Hinweis hinter einem puffernden Proxy");

  // The widget gives the stream 5 s for its snapshot, then polls at once.
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Hinweis hinter einem puffernden Proxy" }).waitFor({ timeout: 8000 });
  assert.ok(seen.list.length >= 1, "the notice came by polling the list");
  // The stream is tried again after the back-off (5 s after giving up).
  await page.waitForRequest((r) => r.url().includes(STREAM), { timeout: 10000 });
  assert.equal(seen.stream.length, 2);
  await resolve(notice);
  await page.close();
});

test("a notice stream refused with 503 and Retry-After, as when the server's stream caps are reached, makes the widget poll", async () => {
  const notice = await raise("Hinweis trotz voller Streams");
  const page = await browser.newPage();
  const seen = noticeRequests(page);
  await page.route(`**${STREAM}**`, (route) =>
    route.fulfill({
      status: 503,
      headers: { "retry-after": "30" },
      contentType: "application/json",
      body: JSON.stringify({ error: "too_many_streams", message: "Zu viele offene Verbindungen." }),
    }),
  );
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: BREMEN }).waitFor();
  await widget.getByRole("heading", { name: "Hinweis trotz voller Streams" }).waitFor({ timeout: 3000 });
  assert.ok(seen.stream.length >= 1 && seen.list.length >= 1, JSON.stringify(seen));
  await resolve(notice);
  await page.close();
});

test("while the stream keeps failing the widget retries it at growing intervals, with one poller", async () => {
  const page = await browser.newPage();
  const seen = noticeRequests(page);
  await page.route(`**${STREAM}**`, (route) => route.fulfill({ status: 503, body: "" }));
  await page.goto(`${server.url}/demo/`);
  // The first attempt, then retries after 5 s and after 10 s more.
  while (seen.stream.length < 3) await page.waitForRequest((r) => r.url().includes(STREAM), { timeout: 15000 });
  const [first, second] = [seen.stream[1] - seen.stream[0], seen.stream[2] - seen.stream[1]];
  assert.ok(first >= 4500, `first retry after ${first} ms, expected about 5 s`);
  assert.ok(second >= 9500 && second > first, `second retry after ${second} ms, expected about 10 s (first: ${first} ms)`);
  // Polling started with the first failure and is not doubled by later ones (every 30 s).
  assert.equal(seen.list.length, 1, `list polled ${seen.list.length} times`);
  await page.close();
});

// Records on the page's clock (performance.now) when the widget's element appeared — no later
// than its instance started, so the bound below is if anything stricter — when the fallback
// first showed in its shadow root, and when the widget reported ready (the wasm mounted).
const watchTimes = `(() => {
  const t = (window.__times = {});
  new MutationObserver((_, observer) => {
    const host = document.querySelector("anlaufstelle-hilfe");
    if (!host?.shadowRoot) return;
    observer.disconnect();
    t.start = performance.now();
    host.addEventListener("anlaufstelle:ready", () => (t.ready ??= performance.now()));
    new MutationObserver(() => {
      if (t.fallback === undefined && host.shadowRoot.querySelector(".as-fallback")) t.fallback = performance.now();
    }).observe(host.shadowRoot, { childList: true, subtree: true });
  }).observe(document, { childList: true, subtree: true });
})();`;

test("a slow wasm and a hanging API together still get the fallback 3 s after the start, not 3 s after the wasm", async () => {
  const page = await browser.newPage();
  await page.addInitScript(watchTimes);
  const requested = Date.now();
  // The widget's code arrives about 2.5 s after the page was asked for, the API never answers.
  await page.route("**/*.wasm", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, requested + 2400 - Date.now())));
    await route.continue();
  });
  await page.route("**/api/v1/help**", () => {});
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.locator(".as-fallback").waitFor({ timeout: 10000 });
  const t = await page.evaluate(() => window.__times);
  // The worst case is the one where the wasm comes just in time and the API then hangs.
  assert.ok(t.ready !== undefined && t.ready - t.start < 3000, `the wasm mounted before the deadline (${JSON.stringify(t)})`);
  assert.ok(t.fallback - t.start < 3500, `fallback ${Math.round(t.fallback - t.start)} ms after the start`);
  assert.equal(await widget.getByRole("link", { name: "115", exact: true }).getAttribute("href"), "tel:115");
  await page.close();
});

test("a hanging server (not a refused one) gets the inline fallback within the bound, and its late answer replaces it", async () => {
  const page = await browser.newPage();
  await page.addInitScript(watchTimes);
  const widget = page.locator("anlaufstelle-hilfe");
  const fallbackShown = widget.locator(".as-fallback").waitFor({ timeout: 10000 });
  // The help answer is held until the fallback shows, then let through: a late answer.
  await page.route("**/api/v1/help**", async (route) => {
    await fallbackShown.catch(() => {});
    await route.continue().catch(() => {});
  });
  await page.goto(`${server.url}/demo/`);
  await fallbackShown;
  const t = await page.evaluate(() => window.__times);
  assert.ok(t.fallback - t.start < 3500, `fallback ${Math.round(t.fallback - t.start)} ms after the start`);
  await widget.getByRole("heading", { name: BREMEN, exact: true }).waitFor();
  await widget.locator(".as-fallback").waitFor({ state: "detached" });
  await page.close();
});

test("the frame page posts to its embedding origin only: a parent of another origin receives nothing", async () => {
  const page = await browser.newPage();
  // In the host page: every message with the index of the iframe it came from. In the frames:
  // the widget's ready event, so the test knows when the frame has spoken.
  await page.addInitScript(() => {
    if (window === top) {
      window.__messages = [];
      addEventListener("message", (event) => {
        const index = [...document.querySelectorAll("iframe")].findIndex((f) => f.contentWindow === event.source);
        window.__messages.push({ index, data: event.data });
      });
    } else {
      window.__ready = false;
      addEventListener("anlaufstelle:ready", () => (window.__ready = true), true);
    }
  });
  const frameUrl = `${server.url}/widget/v1/frame.html?ars=040110000000&leika=${ELTERNGELD}`;
  // Same host, other name: http://localhost:… is another origin than http://127.0.0.1:….
  const otherOrigin = host.url.replace("127.0.0.1", "localhost");
  const url = host.serve(
    "/two-frames.html",
    `<!doctype html><html lang="de"><head><title>Portal</title></head><body>
      <iframe id="own" title="Hilfe" src="${frameUrl}" width="400" height="300"></iframe>
      <iframe id="other" title="Hilfe" src="${frameUrl}&amp;origin=${encodeURIComponent(otherOrigin)}" width="400" height="300"></iframe>
    </body></html>`,
  );
  await page.goto(url);
  const frames = await Promise.all(
    ["#own", "#other"].map(async (id) => (await page.locator(id).elementHandle()).contentFrame()),
  );
  for (const frame of frames) {
    await frame.getByRole("heading", { name: BREMEN, exact: true }).waitFor({ timeout: 10000 });
    await frame.waitForFunction(() => window.__ready);
  }
  // Messages from one window to another arrive in the order they were posted: once this probe
  // from the second frame is in, anything it posted before would be in too.
  await frames[1].evaluate(() => parent.postMessage({ probe: true }, "*"));
  await page.waitForFunction(() => window.__messages.some((m) => m.index === 1 && m.data?.probe));
  const messages = await page.evaluate(() => window.__messages);
  const from = (index) => messages.filter((m) => m.index === index && m.data?.anlaufstelle);
  // The bare frame without `origin` found its parent's origin itself and reported to it …
  assert.ok(from(0).some((m) => m.data.anlaufstelle === "event" && m.data.name === "ready"), JSON.stringify(messages));
  // … the frame told another origin posted nothing to this parent: no event, no height.
  assert.deepEqual(from(1), []);
  await page.close();
});
