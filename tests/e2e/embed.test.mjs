// The embedding contract, seen from a portal: every page here is served by a second origin
// (startHostServer), as a real portal page would be, and loads the widget from the Anlaufstelle
// server. Script tags and targets, the custom element in a single-page app, launcher and iframe
// modes, the JS API and its events, the published Content-Security-Policies and SRI hashes,
// hostile CSS and patched globals, an unreachable server, languages, reflow and theming.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, operator, startHostServer, startServer, unusedUrl } from "./support.mjs";

const BREMEN = { ars: "040110000000", contact: "Behördennummer 115 – Bürgertelefon Bremen" };
const MUENCHEN = { ars: "091620000000", contact: "Bürgerservice München" };
const LUENEBURG = { ars: "033550022022", contact: "Bürgerservice Hansestadt Lüneburg" };
const ELTERNGELD = "99041006017000";
const STREAM = "/api/v1/notices/stream";

let server;
let browser;
let host;
let loader;
let manifest;
let manifestStatus;
let pages = 0;

before(async () => {
  // No minimum fill time for the contact form, so sending a message need not wait.
  [server, browser, host] = await Promise.all([
    startServer(["--min-fill-seconds", "0"]),
    launchBrowser(),
    startHostServer(),
  ]);
  loader = `${server.url}/widget/v1/anlaufstelle.js`;
  const response = await fetch(`${server.url}/widget/manifest.json`);
  manifestStatus = response.status;
  manifest = response.ok ? await response.json() : null;
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

// ---- helpers ----

const escapeAttr = (value) => String(value).replaceAll("&", "&amp;").replaceAll('"', "&quot;");

/** A `<script>` tag for the loader with `data-*` attributes (`{ "fallback-name": … }`). */
function script(data = {}, { src = loader, extra = "" } = {}) {
  const attrs = Object.entries(data)
    .map(([key, value]) => ` data-${key}="${escapeAttr(value)}"`)
    .join("");
  return `<script src="${escapeAttr(src)}"${extra} async${attrs}></script>`;
}

/** Serves a host page on the second origin and returns its URL. */
function hostPage(body, { lang = "de", head = "", headers = {} } = {}) {
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Portal</title>${head}</head>
<body>${body}</body></html>`;
  return host.serve(`/page-${++pages}.html`, html, headers);
}

// Runs in every document (host page and frames) before its own scripts: records the widget's
// events and CSP violations in a non-enumerable property, so it adds no enumerable global.
function recorder() {
  const clone = globalThis.structuredClone;
  const log = { events: [], violations: [] };
  Object.defineProperty(window, "__embedTest", { value: log, enumerable: false });
  for (const name of ["ready", "opened", "closed", "message-sent", "notice-changed"]) {
    window.addEventListener(
      `anlaufstelle:${name}`,
      (event) => {
        let detail = null;
        try {
          detail = clone(event.detail ?? null);
        } catch {
          detail = "<not cloneable>";
        }
        log.events.push({ name, detail, target: event.target?.localName, bubbles: event.bubbles, composed: event.composed });
      },
      true,
    );
  }
  window.addEventListener(
    "securitypolicyviolation",
    (event) => log.violations.push({ directive: event.violatedDirective, blocked: event.blockedURI }),
    true,
  );
}

/** Opens a fresh page (own context), runs `fn(page)`, checks there was no uncaught error. */
async function usePage(options, fn) {
  const page = await browser.newPage(options);
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) page.cspConsole.push(message.text());
  });
  page.cspConsole = [];
  page.errors = errors;
  await page.addInitScript(recorder);
  try {
    await fn(page);
    assert.deepEqual(errors, [], "no uncaught error in the page");
  } finally {
    await page.close();
  }
}

/** The heading of a region's first-level contact inside `scope`. */
const contact = (scope, region) => scope.getByRole("heading", { name: region.contact, exact: true });

/** The widget's events recorded in `frame` (a page or frame). */
const events = (frame, name) =>
  frame.evaluate((n) => window.__embedTest.events.filter((e) => e.name === n), name);
const violations = (frame) => frame.evaluate(() => window.__embedTest.violations);

/** Waits until `anlaufstelle:<name>` has been seen `count` times (optionally: with notice `id`). */
function waitForEvent(page, name, { count = 1, noticeId } = {}) {
  return page.waitForFunction(
    ([n, c, id]) =>
      window.__embedTest.events.filter(
        (e) => e.name === n && (id === null || e.detail?.notices?.some((x) => x.id === id)),
      ).length >= c,
    [name, count, noticeId ?? null],
  );
}

/** The notice stream requests of a page: which are open, and a way to wait for a state. */
function watchStreams(page) {
  const requests = [];
  const ended = new Set();
  let waiters = [];
  const notify = () => (waiters = waiters.filter((check) => !check()));
  page.on("request", (r) => {
    if (r.url().includes(STREAM)) requests.push(r);
    notify();
  });
  const end = (r) => {
    ended.add(r);
    notify();
  };
  page.on("requestfinished", end);
  page.on("requestfailed", end);
  const open = () => requests.filter((r) => !ended.has(r));
  return {
    requests,
    open,
    until(condition, what, timeout = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}; open streams: ${open().map((r) => r.url()).join(", ")}`)),
          timeout,
        );
        const check = () => {
          if (!condition()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        };
        if (!check()) waiters.push(check);
      });
    },
  };
}

function needManifest() {
  assert.ok(manifest, `GET /widget/manifest.json answered ${manifestStatus}, expected the manifest`);
}

/** A host-page button whose click handler counts, to prove the host page still works. */
const COUNTER = `<button id="host-button" type="button">0</button>
<script>document.getElementById("host-button").addEventListener("click", (e) => { e.target.textContent = String(Number(e.target.textContent) + 1); });</script>`;

async function hostButtonWorks(page) {
  const button = page.locator("#host-button");
  const before = Number(await button.textContent());
  await button.click();
  assert.equal(Number(await button.textContent()), before + 1, "the host page's own button still works");
}

/** Where focus is: the host element and, inside its shadow root, the focused element. */
function focusInDialog(page) {
  return page.evaluate(() => {
    const widget = document.querySelector("anlaufstelle-hilfe");
    const active = widget.shadowRoot.activeElement;
    const dialog = widget.shadowRoot.querySelector("dialog.as-dialog");
    if (document.activeElement !== widget || !active || !dialog.contains(active)) {
      return { inside: false, active: document.activeElement?.outerHTML?.slice(0, 80), shadow: active?.outerHTML?.slice(0, 80) };
    }
    return { inside: true, which: `${active.localName}.${active.className}:${active.textContent.trim().slice(0, 30)}` };
  });
}

// ---- tests ----

test("two script tags and a data-target matching two elements give three independent instances", async () => {
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(`<main>
        <div id="inline">${script({ ars: BREMEN.ars, leika: ELTERNGELD })}</div>
        <aside id="t1" class="help"></aside>
        <aside id="t2" class="help"></aside>
      </main>
      ${script({ ars: MUENCHEN.ars, target: ".help" })}`),
    );
    const inline = page.locator("#inline > anlaufstelle-hilfe");
    const t1 = page.locator("#t1 > anlaufstelle-hilfe");
    const t2 = page.locator("#t2 > anlaufstelle-hilfe");
    await contact(inline, BREMEN).waitFor();
    await contact(t1, MUENCHEN).waitFor();
    await contact(t2, MUENCHEN).waitFor();
    assert.equal(await page.locator("anlaufstelle-hilfe").count(), 3);
    // The inline instance sits right after its script tag and carries its settings.
    assert.equal(await page.evaluate(() => document.querySelector("#inline script").nextElementSibling?.localName), "anlaufstelle-hilfe");
    assert.deepEqual(
      await inline.evaluate((el) => ({ ars: el.getAttribute("ars"), leika: el.getAttribute("leika") })),
      { ars: BREMEN.ars, leika: ELTERNGELD },
    );
    assert.equal(await contact(inline, MUENCHEN).count(), 0);
    assert.equal(await contact(t1, BREMEN).count(), 0);

    // Independent: switching one instance leaves the others as they are.
    await page.evaluate((ars) => window.anlaufstelle.push(["setRegion", ars, "#t2 > anlaufstelle-hilfe"]), LUENEBURG.ars);
    await contact(t2, LUENEBURG).waitFor();
    await contact(t2, MUENCHEN).waitFor({ state: "detached" });
    assert.equal(await contact(t1, MUENCHEN).count(), 1);
    assert.equal(await contact(inline, BREMEN).count(), 1);
    assert.equal(await t1.getAttribute("ars"), MUENCHEN.ars);
  });
});

test("a single-page app adds, re-targets, removes and re-adds the custom element", async () => {
  await usePage({}, async (page) => {
    const streams = watchStreams(page);
    await page.goto(hostPage(`${COUNTER}<div id="app"></div>${script({ mount: "manual" })}`));
    await page.waitForFunction(() => customElements.get("anlaufstelle-hilfe") !== undefined);
    assert.equal(await page.locator("anlaufstelle-hilfe").count(), 0, "data-mount=manual creates no instance");

    const add = (ars) =>
      page.evaluate(
        ([a, leika]) => {
          const el = document.createElement("anlaufstelle-hilfe");
          el.setAttribute("ars", a);
          el.setAttribute("leika", leika);
          document.getElementById("app").append(el);
        },
        [ars, ELTERNGELD],
      );
    const widget = page.locator("#app > anlaufstelle-hilfe");
    await add(BREMEN.ars);
    await contact(widget, BREMEN).waitFor();
    await streams.until(() => streams.open().length === 1, "the Bremen notice stream");
    assert.match(streams.open()[0].url(), /ars=040110000000/);

    // Another region through the attribute: other contact, and the stream follows.
    await widget.evaluate((el, ars) => el.setAttribute("ars", ars), MUENCHEN.ars);
    await contact(widget, MUENCHEN).waitFor();
    await contact(widget, BREMEN).waitFor({ state: "detached" });
    await streams.until(
      () => streams.open().length === 1 && streams.open()[0].url().includes("ars=091620000000"),
      "exactly one stream, for München",
    );

    // Removing the element closes its stream.
    await page.evaluate(() => {
      window.__removed = document.querySelector("#app > anlaufstelle-hilfe");
      window.__removed.remove();
    });
    await streams.until(() => streams.open().length === 0, "the stream to close after removal");

    // The same element re-added works again …
    await page.evaluate(() => document.getElementById("app").append(window.__removed));
    await contact(widget, MUENCHEN).waitFor();
    await streams.until(() => streams.open().length === 1, "one stream after re-adding");
    await page.evaluate(() => window.__removed.remove());
    await streams.until(() => streams.open().length === 0, "the stream to close after the second removal");

    // … and so does a new one.
    await add(BREMEN.ars);
    await contact(widget, BREMEN).waitFor();
    await streams.until(() => streams.open().length === 1, "one stream for the new element");
    assert.equal(await page.locator("anlaufstelle-hilfe").count(), 1);
    await hostButtonWorks(page);
  });
});

test("launcher: nothing loads before the click, the dialog traps focus, Escape returns it", async () => {
  await usePage({ viewport: { width: 1024, height: 768 } }, async (page) => {
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(
      hostPage(`<main><h1>Antrag</h1><a href="#vorher">Ein Link der Seite</a></main>
        ${script({ mode: "launcher", ars: BREMEN.ars, leika: ELTERNGELD })}`),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    const launcher = widget.locator("button.as-launcher");
    await launcher.waitFor();
    await page.waitForLoadState("networkidle");
    assert.deepEqual(requests.filter((u) => new URL(u).pathname.endsWith(".wasm")), [], "no wasm before the click");
    assert.deepEqual(requests.filter((u) => u.includes("/api/")), [], "no API request before the click");
    const dialog = widget.locator("dialog.as-dialog");
    assert.equal(await dialog.evaluate((d) => d.open), false);

    await launcher.click();
    await contact(widget, BREMEN).waitFor();
    assert.equal(await dialog.evaluate((d) => d.open && d.matches(":modal")), true, "a modal dialog");
    await waitForEvent(page, "opened");
    assert.ok(requests.some((u) => new URL(u).pathname.endsWith(".wasm")), "the wasm loads on opening");

    // Tab and Shift+Tab never leave the dialog; they do move and wrap around.
    const seen = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      const where = await focusInDialog(page);
      assert.ok(where.inside, `Tab ${i + 1} left the dialog: ${JSON.stringify(where)}`);
      seen.push(where.which);
    }
    assert.ok(new Set(seen).size >= 3, `focus moves between controls: ${seen.join(" | ")}`);
    assert.ok(seen.length > new Set(seen).size, "focus wraps around to controls it visited before");
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Shift+Tab");
      const where = await focusInDialog(page);
      assert.ok(where.inside, `Shift+Tab ${i + 1} left the dialog: ${JSON.stringify(where)}`);
    }

    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("anlaufstelle-hilfe").shadowRoot.querySelector("dialog").open);
    await waitForEvent(page, "closed");
    assert.deepEqual(
      await page.evaluate(() => {
        const w = document.querySelector("anlaufstelle-hilfe");
        return { host: document.activeElement === w, inner: w.shadowRoot.activeElement?.className ?? null };
      }),
      { host: true, inner: "as-launcher" },
      "focus is back on the launcher button",
    );

    // Narrow screen: the queue opens it, and it fills the viewport.
    await page.setViewportSize({ width: 320, height: 568 });
    await page.evaluate(() => window.anlaufstelle.push(["open"]));
    await waitForEvent(page, "opened", { count: 2 });
    assert.equal(await dialog.evaluate((d) => d.open), true);
    const box = await dialog.boundingBox();
    for (const [key, want] of Object.entries({ x: 0, y: 0, width: 320, height: 568 })) {
      assert.ok(Math.abs(box[key] - want) <= 1, `dialog ${key} is ${box[key]}, expected ${want}: ${JSON.stringify(box)}`);
    }
    await page.evaluate(() => document.querySelector("anlaufstelle-hilfe").close());
    await waitForEvent(page, "closed", { count: 2 });
  });
});

test("a launcher element removed and re-added opens with the contact again", async () => {
  await usePage({}, async (page) => {
    await page.goto(hostPage(`<div id="app"></div>${script({ mount: "manual" })}`));
    await page.waitForFunction(() => customElements.get("anlaufstelle-hilfe") !== undefined);
    await page.evaluate(
      ([ars, leika]) => {
        const el = document.createElement("anlaufstelle-hilfe");
        el.setAttribute("mode", "launcher");
        el.setAttribute("ars", ars);
        el.setAttribute("leika", leika);
        document.getElementById("app").append(el);
      },
      [BREMEN.ars, ELTERNGELD],
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.locator("button.as-launcher").click();
    await contact(widget, BREMEN).waitFor();
    await page.keyboard.press("Escape");
    await waitForEvent(page, "closed");

    // A single-page app navigates away and back, keeping the element object.
    // Two evaluations, two tasks: a real removal, not a move.
    await page.evaluate(() => {
      window.__launcher = document.querySelector("anlaufstelle-hilfe");
      window.__launcher.remove();
    });
    assert.equal(await widget.count(), 0);
    await page.evaluate(() => document.getElementById("app").append(window.__launcher));
    await widget.locator("button.as-launcher").click();
    await waitForEvent(page, "opened", { count: 2 });
    await contact(widget, BREMEN).waitFor({ timeout: 5000 });
    assert.equal(await widget.locator("dialog.as-dialog").evaluate((d) => d.open), true);
  });
});

test("commands queued before the loader run, events reach the host, no global is patched", async () => {
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(`<script>
        document.documentElement.dataset.before = JSON.stringify(Object.keys(window));
        window.anlaufstelle = [
          ["setContext", { errorCode: "E-1", formStep: "Schritt 2" }],
          ["setRegion", "${MUENCHEN.ars}"],
        ];
        window.onmessage = function hostOnMessage(event) {
          document.documentElement.dataset.hostMessages = String(Number(document.documentElement.dataset.hostMessages || 0) + 1);
        };
      </script>
      ${script({ ars: BREMEN.ars, leika: ELTERNGELD })}`),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, MUENCHEN).waitFor();
    assert.deepEqual(
      await widget.evaluate((el) => ({ ars: el.getAttribute("ars"), errorCode: el.dataset.errorCode, formStep: el.dataset.formStep })),
      { ars: MUENCHEN.ars, errorCode: "E-1", formStep: "Schritt 2" },
    );
    await waitForEvent(page, "ready");
    const [ready] = await events(page, "ready");
    assert.deepEqual(ready, { name: "ready", detail: { mode: "inline" }, target: "anlaufstelle-hilfe", bubbles: true, composed: true });

    // After loading the queue is live.
    await page.evaluate(() => window.anlaufstelle.push(["setContext", { errorCode: "E-2" }]));
    assert.equal(await widget.getAttribute("data-error-code"), "E-2");

    // A notice raised by an operator is announced to the host page.
    const notice = await operator(server, "POST", "/api/v1/notices", {
      kind: "info",
      impact: "minor",
      services: [ELTERNGELD],
      regions: [MUENCHEN.ars],
      content: { de: { title: "Einbettungstest: Hinweis für München" } },
    });
    try {
      await waitForEvent(page, "notice-changed", { noticeId: notice.id });
      const changed = (await events(page, "notice-changed")).find((e) => e.detail.notices.some((n) => n.id === notice.id));
      assert.deepEqual(changed.detail.notices.find((n) => n.id === notice.id), {
        id: notice.id,
        kind: "info",
        impact: "minor",
        title: "Einbettungstest: Hinweis für München",
      });
      assert.equal(changed.target, "anlaufstelle-hilfe");
    } finally {
      await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "resolved" });
    }
    await page.waitForFunction(
      (id) => {
        const last = window.__embedTest.events.filter((e) => e.name === "notice-changed").at(-1);
        return last && !last.detail.notices.some((n) => n.id === id);
      },
      notice.id,
    );

    // The one new global is the queue; the host's onmessage is its own and still called.
    const globals = await page.evaluate(() => {
      const before = new Set(JSON.parse(document.documentElement.dataset.before));
      return Object.keys(window).filter((key) => !before.has(key));
    });
    assert.deepEqual(globals, ["anlaufstelle"]);
    assert.equal(await page.evaluate(() => window.onmessage?.name), "hostOnMessage");
    await page.evaluate(() => window.postMessage("host", "*"));
    await page.waitForFunction(() => document.documentElement.dataset.hostMessages === "1");
  });
});

test("a message sent through the contact form is announced with its reference and recipient", async () => {
  await usePage({}, async (page) => {
    await page.goto(hostPage(`<div id="help">${script({ ars: BREMEN.ars, leika: ELTERNGELD, "error-code": "E-4711" })}</div>`));
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByRole("button", { name: "Nachricht schreiben" }).click();
    await widget.getByLabel("Frage zum Antrag").check();
    await widget.getByLabel("Ihre Nachricht").fill("Wie lange dauert die Bearbeitung?");
    await widget.locator("#as-f-consent").check();
    await widget.getByRole("button", { name: "Nachricht senden" }).click();
    await widget.locator(".as-sent").waitFor();
    await waitForEvent(page, "message-sent");
    const [sent] = await events(page, "message-sent");
    assert.equal(sent.target, "anlaufstelle-hilfe");
    assert.deepEqual(Object.keys(sent.detail).sort(), ["recipient", "reference"]);
    assert.ok(sent.detail.reference, JSON.stringify(sent.detail));
    assert.ok(sent.detail.recipient, JSON.stringify(sent.detail));
    // The same reference and recipient the citizen sees.
    const shown = await widget.locator(".as-sent").innerText();
    assert.ok(shown.includes(sent.detail.reference), `${shown} / ${sent.detail.reference}`);
    assert.ok(shown.includes(sent.detail.recipient), `${shown} / ${sent.detail.recipient}`);
  });
});

test("script mode under exactly the manifest's csp.script; without wasm-unsafe-eval the fallback shows", async () => {
  needManifest();
  await usePage({}, async (page) => {
    const response = await page.goto(
      hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD }), {
        headers: { "content-security-policy": manifest.csp.script },
      }),
    );
    assert.equal(response.headers()["content-security-policy"], manifest.csp.script);
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    await waitForEvent(page, "ready");
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(page.cspConsole, []);
  });

  // Control: the same page without 'wasm-unsafe-eval' — the check can fail, and the citizen
  // still gets the 115 within 3 seconds.
  await usePage({}, async (page) => {
    const origin = new URL(server.url).origin;
    await page.goto(
      hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD }), {
        headers: { "content-security-policy": `script-src ${origin}; connect-src ${origin}` },
      }),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByRole("heading", { name: "Behördennummer 115", exact: true }).waitFor({ timeout: 3000 });
    assert.equal(await widget.getByRole("link", { name: "115", exact: true }).getAttribute("href"), "tel:115");
    const seen = await violations(page);
    assert.ok(seen.some((v) => v.directive.startsWith("script-src")), JSON.stringify(seen));
  });
});

test("iframe mode under exactly csp.iframe: the contact renders in the frame, which fits its content", async () => {
  needManifest();
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(`<main><h1>Antrag</h1><div id="help">${script({ mode: "iframe", ars: BREMEN.ars, leika: ELTERNGELD })}</div></main>`, {
        headers: { "content-security-policy": manifest.csp.iframe },
      }),
    );
    const frameElement = page.locator("anlaufstelle-hilfe iframe.as-frame");
    await frameElement.waitFor();
    assert.ok((await frameElement.getAttribute("src")).startsWith(`${server.url}/widget/`), "the frame is on the server's origin");
    await contact(frameElement.contentFrame(), BREMEN).waitFor({ timeout: 10000 });
    await waitForEvent(page, "ready");

    // The frame grows to its content: taller than its minimum, and nothing cut off.
    const frame = await (await frameElement.elementHandle()).contentFrame();
    const minHeight = await frameElement.evaluate((f) => parseFloat(getComputedStyle(f).minHeight));
    await page.waitForFunction(
      (min) => document.querySelector("anlaufstelle-hilfe").shadowRoot.querySelector("iframe").getBoundingClientRect().height > min + 1,
      minHeight,
    );
    const contentHeight = await frame.evaluate(() => document.documentElement.scrollHeight);
    await page.waitForFunction(
      (h) => document.querySelector("anlaufstelle-hilfe").shadowRoot.querySelector("iframe").clientHeight >= h,
      contentHeight,
    );
    assert.ok(await frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight), "no scrolling inside the frame");

    // The JS API reaches the widget in the frame.
    await page.evaluate((ars) => document.querySelector("anlaufstelle-hilfe").setRegion(ars), MUENCHEN.ars);
    await contact(frameElement.contentFrame(), MUENCHEN).waitFor();
    assert.deepEqual(await violations(page), [], "host page");
    assert.deepEqual(await violations(frame), [], "frame page");
    assert.deepEqual(page.cspConsole, []);
  });
});

test("iframe mode: a slow frame gets the fallback first, then the contact replaces it", async () => {
  needManifest();
  await usePage({}, async (page) => {
    const widget = page.locator("anlaufstelle-hilfe");
    // The frame page is held back until the loader has shown its fallback (after 3 s).
    const fallbackShown = widget.locator(".as-fallback").waitFor({ timeout: 5000 });
    await page.route("**/widget/*/frame.html*", async (route) => {
      await fallbackShown.catch(() => {});
      await route.continue().catch(() => {});
    });
    await page.goto(
      hostPage(script({ mode: "iframe", ars: BREMEN.ars, leika: ELTERNGELD }), {
        headers: { "content-security-policy": manifest.csp.iframe },
      }),
    );
    await fallbackShown;
    await widget.getByRole("heading", { name: "Behördennummer 115", exact: true }).waitFor();
    const frameElement = page.locator("anlaufstelle-hilfe iframe.as-frame");
    await contact(frameElement.contentFrame(), BREMEN).waitFor({ timeout: 10000 });
    await widget.locator(".as-fallback").waitFor({ state: "detached" });
    await waitForEvent(page, "ready");
  });
});

test("a bare <iframe> of the manifest's frame URL under exactly csp.iframe_tag renders the contact", async () => {
  needManifest();
  await usePage({}, async (page) => {
    const src = `${manifest.frame.url}?ars=${BREMEN.ars}&leika=${ELTERNGELD}`;
    await page.goto(
      hostPage(`<main><h1>Antrag</h1><iframe src="${escapeAttr(src)}" title="Anlaufstelle: Wer kann mir helfen?" width="400" height="600"></iframe></main>`, {
        headers: { "content-security-policy": manifest.csp.iframe_tag },
      }),
    );
    const frameElement = page.locator("iframe");
    await contact(frameElement.contentFrame(), BREMEN).waitFor({ timeout: 10000 });
    const frame = await (await frameElement.elementHandle()).contentFrame();
    assert.deepEqual(await violations(page), [], "host page");
    assert.deepEqual(await violations(frame), [], "frame page");
    assert.deepEqual(page.cspConsole, []);
  });
});

test("the versioned loader with the manifest's integrity hash renders and is immutable", async () => {
  needManifest();
  await usePage({}, async (page) => {
    const loaderResponse = page.waitForResponse(manifest.loader.url);
    const wasmResponse = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".wasm"));
    await page.goto(
      hostPage(
        script(
          { ars: BREMEN.ars, leika: ELTERNGELD },
          { src: manifest.loader.url, extra: ` integrity="${escapeAttr(manifest.loader.integrity)}" crossorigin="anonymous"` },
        ),
      ),
    );
    await contact(page.locator("anlaufstelle-hilfe"), BREMEN).waitFor();
    const js = await loaderResponse;
    assert.equal(js.status(), 200);
    assert.match(js.headers()["cache-control"] ?? "", /\bimmutable\b/);
    const wasm = await wasmResponse;
    assert.equal(wasm.url(), manifest.wasm.url);
    assert.match(wasm.headers()["cache-control"] ?? "", /\bimmutable\b/);
  });

  // Control: a wrong hash keeps the loader from running at all.
  await usePage({}, async (page) => {
    const wrong = manifest.loader.integrity.replace(/^sha384-./, (m) => (m.endsWith("A") ? "sha384-B" : "sha384-A"));
    await page.goto(
      hostPage(
        script(
          { ars: BREMEN.ars, leika: ELTERNGELD },
          { src: manifest.loader.url, extra: ` integrity="${escapeAttr(wrong)}" crossorigin="anonymous" onerror="document.body.dataset.blocked = 'yes'"` },
        ),
      ),
    );
    await page.locator("body[data-blocked=yes]").waitFor({ state: "attached" });
    assert.equal(await page.locator("anlaufstelle-hilfe").count(), 0);
  });
});

/** Computed styles of the widget's parts, for comparing a page with hostile CSS to a plain one. */
function widgetStyles(widget) {
  return widget.evaluate((host) => {
    const root = host.shadowRoot;
    const pick = (node, keys) => {
      const style = getComputedStyle(node);
      return Object.fromEntries(keys.map((k) => [k, style[k]]));
    };
    const text = ["fontSize", "fontFamily", "lineHeight", "color", "display", "textTransform", "fontWeight"];
    const box = ["paddingTop", "paddingLeft", "borderTopWidth", "borderTopColor", "boxSizing", "marginTop", "backgroundColor"];
    const button = [...root.querySelectorAll("button")].find((b) => b.textContent.includes("Nachricht schreiben"));
    return {
      host: { ...pick(host, ["display", "boxSizing", "paddingTop", "borderTopWidth"]), height: Math.round(host.getBoundingClientRect().height) },
      section: pick(root.querySelector(".as-widget"), [...text, ...box]),
      title: pick(root.querySelector(".as-title"), text),
      name: pick(root.querySelector(".as-name"), text),
      contact: pick(root.querySelector(".as-contact"), box),
      list: pick(root.querySelector(".as-channels"), ["listStyleType", "paddingLeft", "marginTop"]),
      link: pick(root.querySelector("a.as-link"), [...text, "textDecorationLine"]),
      button: pick(button, [...text, ...box, "borderTopStyle", "cursor"]),
    };
  });
}

test("hostile global CSS of the host page does not reach into the widget", async () => {
  const body = `<main><div id="help">${script({ ars: BREMEN.ars, leika: ELTERNGELD })}</div></main>`;
  let plain;
  await usePage({}, async (page) => {
    await page.goto(hostPage(body));
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    await widget.getByRole("button", { name: "Nachricht schreiben" }).waitFor();
    plain = await widgetStyles(widget);
  });
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(body, {
        head: `<style>
          * { font-size: 30px !important; line-height: 1 !important; color: #f0f !important; box-sizing: content-box !important; }
          html { font-size: 8px !important; }
          div { padding: 40px !important; border: 3px solid red !important; }
          button { background: red !important; all: unset; }
          h2, h3 { text-transform: uppercase !important; display: none !important; }
          a { color: #f0f !important; text-decoration: none !important; }
          ul, li { list-style: square !important; padding-left: 100px !important; margin: 0 !important; }
          section { display: none !important; }
        </style>`,
      }),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    await widget.getByRole("button", { name: "Nachricht schreiben" }).waitFor();
    const hostile = await widgetStyles(widget);
    const magenta = "rgb(255, 0, 255)";
    assert.equal(hostile.title.fontSize, "20px");
    assert.notEqual(hostile.title.color, magenta);
    assert.notEqual(hostile.link.color, magenta);
    assert.notEqual(hostile.button.backgroundColor, "rgb(255, 0, 0)");
    assert.notEqual(hostile.button.color, magenta);
    assert.ok(hostile.host.height > 100, `host height ${hostile.host.height}`);
    assert.ok(await widget.isVisible());
    // Not just these: every style looked at is what it is on a page without such rules.
    assert.deepEqual(hostile, plain);
  });
});

test("patched globals of the host page do not break the widget, and stay as the host set them", async () => {
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(`<script>
        window.hostPatches = {};
        const p = window.hostPatches;
        p.fetchCalls = [];
        const realFetch = window.fetch;
        p.fetch = window.fetch = function (...args) { p.fetchCalls.push(String(args[0])); return realFetch.apply(this, args); };
        Object.prototype.evil = 1;
        p.toJSON = Array.prototype.toJSON = function () { return "array!"; };
        const realParse = JSON.parse;
        p.parse = JSON.parse = function (text, reviver) { return realParse.call(JSON, text, reviver); };
        p.onmessage = window.onmessage = function () { p.messages = (p.messages || 0) + 1; };
        const realSetTimeout = window.setTimeout;
        p.setTimeout = window.setTimeout = function (fn, ms, ...rest) { return realSetTimeout.call(window, fn, ms, ...rest); };
        p.logged = [];
        p.log = console.log = function (...args) { p.logged.push(args.map(String).join(" ")); };
      </script>
      <div id="help">${script({ ars: BREMEN.ars, leika: ELTERNGELD })}</div>`),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    await widget.getByRole("button", { name: "Nachricht schreiben" }).click();
    await widget.getByRole("heading", { name: "Nachricht an die zuständige Stelle" }).waitFor();
    const unchanged = await page.evaluate(() => {
      const p = window.hostPatches;
      return {
        fetch: window.fetch === p.fetch,
        parse: JSON.parse === p.parse,
        setTimeout: window.setTimeout === p.setTimeout,
        log: console.log === p.log,
        onmessage: window.onmessage === p.onmessage,
        toJSON: Array.prototype.toJSON === p.toJSON,
        evil: Object.prototype.evil,
        stringify: JSON.stringify([1]),
      };
    });
    assert.deepEqual(unchanged, {
      fetch: true,
      parse: true,
      setTimeout: true,
      log: true,
      onmessage: true,
      toJSON: true,
      evil: 1,
      stringify: '"array!"',
    });
  });
});

test("server unreachable: the 115 and the host's alternative show within 3 s, the page works", async () => {
  // The loader is in the browser's cache (served here by the test), its server is gone: every
  // other request to it is refused by the operating system.
  const dead = await unusedUrl();
  const loaderJs = await (await fetch(loader)).text();
  await usePage({}, async (page) => {
    await page.route(`${dead}/widget/v1/anlaufstelle.js`, (route) =>
      route.fulfill({ body: loaderJs, contentType: "text/javascript; charset=utf-8" }),
    );
    await page.goto(
      hostPage(
        `${COUNTER}<div id="help">${script(
          {
            ars: BREMEN.ars,
            leika: ELTERNGELD,
            "fallback-name": "Bürgerservice Musterstadt",
            "fallback-phone": "+49 30 1234 5678",
            "fallback-email": "buergerservice@musterstadt.example",
            "fallback-url": "https://musterstadt.example/buergerservice",
          },
          { src: `${dead}/widget/v1/anlaufstelle.js` },
        )}</div>`,
      ),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByText("Behördennummer 115").first().waitFor({ timeout: 3000 });
    assert.equal(await widget.getByRole("link", { name: "115", exact: true }).getAttribute("href"), "tel:115");
    await widget.getByRole("heading", { name: "Bürgerservice Musterstadt" }).waitFor({ timeout: 100 });
    assert.equal(await widget.getByRole("link", { name: "+49 30 1234 5678" }).getAttribute("href"), "tel:+493012345678");
    // Each channel says what it is, in the words the widget itself uses.
    const channel = (value) => widget.locator("li", { hasText: value }).innerText();
    assert.match(await channel("buergerservice@musterstadt.example"), /^E-Mail\s/);
    assert.match(await channel("https://musterstadt.example/buergerservice"), /^Internet\s/);
    await hostButtonWorks(page);
  });
});

/** The widget's text tables this page requested (`anlaufstelle-texts-<lang>-<hash>.json`). */
function textTables(page) {
  const names = [];
  page.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.startsWith("anlaufstelle-texts-")) names.push(name);
  });
  return names;
}

test("languages: <html lang=en>, data-lang=de-x-ls, and the English fallback", async () => {
  // German pages fetch no text table: German is compiled into the wasm.
  await usePage({}, async (page) => {
    const tables = textTables(page);
    await page.goto(hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD })));
    await contact(page.locator("anlaufstelle-hilfe"), BREMEN).waitFor();
    assert.deepEqual(tables, []);
  });

  await usePage({}, async (page) => {
    const tables = textTables(page);
    await page.goto(hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD }), { lang: "en" }));
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByRole("heading", { name: "Who can help me?" }).waitFor();
    await contact(widget, BREMEN).waitFor();
    assert.equal(await widget.getByText("Opening hours").count() > 0, true);
    assert.equal(await widget.getByRole("heading", { name: "Wer kann mir helfen?" }).count(), 0);
    assert.equal(await widget.locator(".as-widget").getAttribute("lang"), "en");
    assert.equal(tables.length, 1, tables.join());
    assert.match(tables[0], /^anlaufstelle-texts-en-[0-9a-f]{16}\.json$/);
  });

  // The English table cannot be had: the widget speaks German throughout, not a mixture.
  await usePage({}, async (page) => {
    await page.route(/anlaufstelle-texts-en-/, (route) => route.abort());
    await page.goto(hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD }), { lang: "en" }));
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    await widget.getByRole("heading", { name: "Wer kann mir helfen?" }).waitFor();
    assert.equal(await widget.locator(".as-widget").getAttribute("lang"), "de");
    assert.equal(await widget.getByText("Erreichbarkeit", { exact: true }).count() > 0, true);
    assert.equal(await widget.getByText("Opening hours").count(), 0);
  });

  await usePage({}, async (page) => {
    await page.goto(hostPage(script({ ars: BREMEN.ars, leika: ELTERNGELD, lang: "de-x-ls" })));
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    assert.equal(await widget.getAttribute("lang"), "de-x-ls");
    await widget.getByRole("heading", { name: "Wer kann mir helfen?" }).waitFor();
    // Leichte Sprache: its own hours heading, and no abbreviated weekdays.
    await widget.getByText("Wann erreichen Sie die Stelle?").first().waitFor();
    assert.equal(await widget.getByText("Erreichbarkeit", { exact: true }).count(), 0);
    const hours = await widget.locator(".as-hours").first().innerText();
    assert.match(hours, /Montag bis Freitag/);
    assert.doesNotMatch(hours, /Mo–Fr/);
  });

  const dead = await unusedUrl();
  const loaderJs = await (await fetch(loader)).text();
  await usePage({}, async (page) => {
    await page.route(`${dead}/widget/v1/anlaufstelle.js`, (route) =>
      route.fulfill({ body: loaderJs, contentType: "text/javascript; charset=utf-8" }),
    );
    await page.goto(
      hostPage(
        script(
          { ars: BREMEN.ars, leika: ELTERNGELD, "fallback-name": "Citizens' Office", "fallback-email": "office@example.org" },
          { src: `${dead}/widget/v1/anlaufstelle.js` },
        ),
        { lang: "en" },
      ),
    );
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByRole("heading", { name: "Public service number 115" }).waitFor({ timeout: 3000 });
    await widget.getByRole("heading", { name: "Who can help me?" }).waitFor({ timeout: 100 });
    assert.equal(await widget.getByText("Behördennummer").count(), 0);
    assert.match(await widget.locator("li", { hasText: "office@example.org" }).innerText(), /^Email\s/);
  });
});

test("an instance far below the fold loads nothing until the citizen scrolls towards it; loading=eager loads at once", async () => {
  // A long application form above the widget: several screens of it.
  const form = `<main><h1>Antrag</h1>${"<p>Angaben zum Antrag</p>".repeat(120)}</main>`;
  const widgetRequests = (page) => {
    const paths = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.origin === new URL(server.url).origin && !url.pathname.endsWith("/anlaufstelle.js")) paths.push(url.pathname);
    });
    return paths;
  };
  const nextFrames = (page) =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  await usePage({ viewport: { width: 800, height: 600 } }, async (page) => {
    const paths = widgetRequests(page);
    await page.goto(hostPage(`${form}${script({ ars: BREMEN.ars, leika: ELTERNGELD })}`));
    const widget = page.locator("anlaufstelle-hilfe");
    // The loader ran (the box has its heading and loading state), the page is loaded, and the
    // browser has computed intersections for two frames since: still nothing fetched.
    await widget.getByRole("heading", { name: "Wer kann mir helfen?" }).waitFor({ state: "attached" });
    await page.waitForLoadState("load");
    await nextFrames(page);
    assert.deepEqual(paths, [], "nothing fetched for an instance far below the fold");
    assert.ok((await widget.boundingBox()).y > 600 * 2, "the widget is more than half a screen below the fold");

    await widget.scrollIntoViewIfNeeded();
    await contact(widget, BREMEN).waitFor();
    assert.ok(paths.some((p) => p.endsWith(".wasm")), paths.join());
    assert.ok(paths.includes("/api/v1/help"), paths.join());
  });

  await usePage({ viewport: { width: 800, height: 600 } }, async (page) => {
    const paths = widgetRequests(page);
    await page.goto(hostPage(`${form}${script({ ars: BREMEN.ars, leika: ELTERNGELD, loading: "eager" })}`));
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    assert.ok((await widget.boundingBox()).y > 600 * 2, "rendered without scrolling");
    assert.ok(paths.includes("/api/v1/help"), paths.join());
  });
});

test("the widget's downloads start only after the host page has painted", async () => {
  await usePage({}, async (page) => {
    // The page's stylesheet holds its first paint back until the loader has run and its
    // instance exists (eager: no waiting for the instance to come into view either).
    const loaderRan = () =>
      page.waitForFunction(() => document.querySelector("anlaufstelle-hilfe")?.shadowRoot, null, { polling: 20 });
    await page.route("**/portal.css", async (route) => {
      await loaderRan();
      await route.fulfill({ contentType: "text/css", body: "h1 { color: #6b1d1d; }" });
    });
    const head = `<link rel="stylesheet" href="${host.url}/portal.css">`;
    const body = `<main><h1>Antrag</h1></main>${script({ ars: BREMEN.ars, leika: ELTERNGELD, loading: "eager" })}`;
    await page.goto(hostPage(body, { head }));
    await contact(page.locator("anlaufstelle-hilfe"), BREMEN).waitFor();
    const { paint, wasm } = await page.evaluate(() => ({
      paint: performance.getEntriesByName("first-paint")[0]?.startTime,
      wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.startTime,
    }));
    assert.ok(paint !== undefined && wasm !== undefined, `first paint ${paint}, wasm request ${wasm}`);
    assert.ok(wasm >= paint, `the wasm was requested at ${wasm} ms, before the first paint at ${paint} ms`);
  });
});

test("at 320 px the inline widget needs no horizontal scrolling", async () => {
  await usePage({ viewport: { width: 320, height: 640 } }, async (page) => {
    await page.goto(hostPage(`<main><div id="help">${script({ ars: BREMEN.ars, leika: ELTERNGELD })}</div></main>`));
    const widget = page.locator("anlaufstelle-hilfe");
    await contact(widget, BREMEN).waitFor();
    const overflow = () =>
      page.evaluate(() => {
        const section = document.querySelector("anlaufstelle-hilfe").shadowRoot.querySelector(".as-widget");
        const doc = document.documentElement;
        return {
          section: section.scrollWidth <= section.clientWidth ? "ok" : `${section.scrollWidth} > ${section.clientWidth}`,
          document: doc.scrollWidth <= doc.clientWidth ? "ok" : `${doc.scrollWidth} > ${doc.clientWidth}`,
        };
      });
    assert.deepEqual(await overflow(), { section: "ok", document: "ok" }, "contact view");
    const more = widget.locator("summary");
    if ((await more.count()) > 0) {
      await more.first().click();
      assert.deepEqual(await overflow(), { section: "ok", document: "ok" }, "further contacts open");
    }
    await widget.getByRole("button", { name: "Nachricht schreiben" }).click();
    await widget.getByRole("heading", { name: "Nachricht an die zuständige Stelle" }).waitFor();
    assert.deepEqual(await overflow(), { section: "ok", document: "ok" }, "contact form open");
  });
});

test("theming through the documented custom properties and theme=dark", async () => {
  await usePage({}, async (page) => {
    await page.goto(
      hostPage(
        `<div id="themed"></div><div id="dark"></div>
        ${script({ ars: BREMEN.ars, leika: ELTERNGELD, target: "#themed" })}
        ${script({ ars: BREMEN.ars, leika: ELTERNGELD, target: "#dark", theme: "dark" })}
        ${script({ ars: BREMEN.ars, leika: ELTERNGELD, mode: "launcher" })}`,
        {
          head: `<style>
            #themed anlaufstelle-hilfe, anlaufstelle-hilfe[mode=launcher] {
              --anlaufstelle-accent: rgb(107, 29, 92);
              --anlaufstelle-fg: rgb(10, 20, 30);
              --anlaufstelle-bg: rgb(250, 240, 230);
              --anlaufstelle-font: Georgia, serif;
              --anlaufstelle-radius: 0px;
              --anlaufstelle-z-index: 7;
            }
            #dark anlaufstelle-hilfe { --anlaufstelle-min-height: 70em; }
          </style>`,
        },
      ),
    );
    const themed = page.locator("#themed anlaufstelle-hilfe");
    const dark = page.locator("#dark anlaufstelle-hilfe");
    await contact(themed, BREMEN).waitFor();
    await contact(dark, BREMEN).waitFor();
    const look = (locator) =>
      locator.evaluate((el) => {
        const s = getComputedStyle(el.shadowRoot.querySelector(".as-widget"));
        return { accent: s.borderTopColor, fg: s.color, bg: s.backgroundColor, font: s.fontFamily, radius: s.borderTopLeftRadius };
      });
    assert.deepEqual(await look(themed), {
      accent: "rgb(107, 29, 92)",
      fg: "rgb(10, 20, 30)",
      bg: "rgb(250, 240, 230)",
      font: "Georgia, serif",
      radius: "0px",
    });
    assert.equal(await dark.getAttribute("theme"), "dark");
    const darkLook = await look(dark);
    assert.equal(darkLook.bg, "rgb(22, 25, 29)");
    assert.equal(darkLook.fg, "rgb(242, 242, 242)");
    // Room reserved by the host (against layout shift) holds although :host resets everything.
    assert.equal(await dark.evaluate((el) => getComputedStyle(el).minHeight), `${70 * 16}px`);
    assert.ok((await dark.boundingBox()).height >= 70 * 16);
    assert.equal(await themed.evaluate((el) => getComputedStyle(el).minHeight), "0px");
    const launcher = page.locator("anlaufstelle-hilfe[mode=launcher] button.as-launcher");
    await launcher.waitFor();
    assert.deepEqual(
      await launcher.evaluate((b) => ({ z: getComputedStyle(b).zIndex, bg: getComputedStyle(b).backgroundColor })),
      { z: "7", bg: "rgb(107, 29, 92)" },
    );
  });
});
