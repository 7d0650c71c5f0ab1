// WCAG 2.1 AA, checked with axe-core in Chromium, in every state a citizen meets: contact,
// region picker, live notice, contact form with errors, message sent, the offline fallback,
// loading, the launcher closed and open, English, Leichte Sprache and the dark theme.
// axe looks into open shadow roots, so the widget is checked together with its host page.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launchBrowser, operator, realContact, startServer } from "./support.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let server;
let browser;

before(async () => {
  server = await startServer(["--min-fill-seconds", "0"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs axe on the widget and returns its WCAG 2.1 A/AA violations, described. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(
      { include: [["anlaufstelle-hilfe"]] },
      { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } },
    ),
  );
  return result.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

async function demo() {
  const page = await browser.newPage();
  await page.goto(`${server.url}/demo/`);
  await realContact(page.locator("anlaufstelle-hilfe"));
  return page;
}

/** Raises a notice; returns a function that resolves it, for the test's own clean-up. */
async function raise(notice) {
  const { id } = await operator(server, "POST", "/api/v1/notices", notice);
  return () => operator(server, "PATCH", `/api/v1/notices/${id}`, { state: "resolved" });
}

test("the contact view has no WCAG 2.1 AA violations", async () => {
  const page = await demo();
  await page.locator("anlaufstelle-hilfe summary").click();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test("the region picker with results has no violations", async () => {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="de"><head><title>Test</title></head><body><main>
    <h1>Elterngeld</h1><div id="help"></div></main>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-target="#help" async></script></body></html>`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByLabel("Postleitzahl oder Ort").fill("01920");
  await widget.getByRole("button", { name: "Suchen" }).click();
  await widget.locator(".as-candidate").first().waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test("a live notice, the form with errors, and the sent confirmation have no violations", async () => {
  const page = await demo();
  const resolve = await raise({
    kind: "incident",
    impact: "critical",
    services: ["99041006017000"],
    content: { de: { title: "Störung beim Absenden", answers_kept: "yes", alternative: "Rufen Sie die 115 an." } },
  });
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Störung beim Absenden" }).waitFor();
  await widget.getByRole("button", { name: "Nachricht schreiben" }).click();
  await widget.getByRole("button", { name: "Nachricht senden" }).click();
  await widget.locator(".as-summary").waitFor();
  assert.deepEqual(await violations(page), [], "notice and form with errors");

  await widget.getByLabel("Frage zum Antrag").check();
  await widget.getByLabel("Ihre Nachricht").fill("Wie lange dauert die Bearbeitung?");
  await widget.locator("#as-f-consent").check();
  await widget.getByRole("button", { name: "Nachricht senden" }).click();
  await widget.locator(".as-sent").waitFor();
  assert.deepEqual(await violations(page), [], "sent");
  await resolve();
  await page.close();
});

test("the offline fallback has no violations", async () => {
  const page = await browser.newPage();
  await page.route("**/api/v1/help**", (route) => route.abort("connectionrefused"));
  await page.goto(`${server.url}/demo/`);
  await page.locator("anlaufstelle-hilfe .as-fallback").waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

/** A page with one widget configured by `attrs` on its script tag. */
async function page(attrs, lang = "de") {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="${lang}"><head><title>Test</title></head><body><main>
    <h1>Elterngeld</h1><div id="help"></div></main>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-target="#help" ${attrs} async></script></body></html>`);
  return page;
}

test("the loading state has no violations", async () => {
  // The help answer is held back until axe has looked at the loading state.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const p = await browser.newPage();
  await p.route("**/api/v1/help**", async (route) => {
    await held;
    await route.continue();
  });
  await p.setContent(`<!doctype html><html lang="de"><head><title>Test</title></head><body><main>
    <h1>Elterngeld</h1><div id="help"></div></main>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-target="#help" data-ars="040110000000" async></script></body></html>`);
  await p.locator("anlaufstelle-hilfe .as-status").waitFor();
  assert.deepEqual(await violations(p), []);
  release();
  await p.close();
});

test("the launcher, closed and open, has no violations", async () => {
  const p = await page(`data-mode="launcher" data-ars="040110000000" data-leika="99041006017000"`);
  const widget = p.locator("anlaufstelle-hilfe");
  await widget.locator(".as-launcher").waitFor();
  assert.deepEqual(await violations(p), [], "closed");
  await widget.locator(".as-launcher").click();
  await realContact(widget.locator(".as-dialog"));
  assert.deepEqual(await violations(p), [], "open");
  await p.close();
});

for (const [name, attrs, lang, title] of [
  ["English", "", "en", "Who can help me?"],
  ["Leichte Sprache", `data-lang="de-x-ls"`, "de", null],
  ["the dark theme", `data-theme="dark"`, "de", "Wer kann mir helfen?"],
]) {
  test(`the contact view in ${name} has no violations`, async () => {
    const p = await page(`${attrs} data-ars="040110000000" data-leika="99041006017000"`, lang);
    const widget = p.locator("anlaufstelle-hilfe");
    await realContact(widget);
    if (title) assert.equal(await widget.locator(".as-title").innerText(), title);
    // A notice of each weight, so their colours are checked in every language and theme; each
    // waited for by its own title and resolved afterwards, so no other test's notice stands in.
    const resolvers = [];
    for (const [kind, impact] of [["info", "none"], ["incident", "critical"]]) {
      resolvers.push(
        await raise({
          kind,
          impact,
          regions: ["040110000000"],
          content: { de: { title: `Hinweis ${kind} ${name}`, answers_kept: "unknown" } },
        }),
      );
    }
    await widget.getByRole("heading", { name: `Hinweis info ${name}` }).waitFor();
    await widget.locator(".as-notice.as-severe").filter({ hasText: `Hinweis incident ${name}` }).waitFor();
    await widget.locator("summary").click();
    assert.deepEqual(await violations(p), []);
    for (const resolve of resolvers) await resolve();
    await p.close();
  });
}

test("in forced colours (Windows high contrast) the widget keeps its boundaries and has no violations", async () => {
  const p = await page(`data-ars="040110000000" data-leika="99041006017000"`);
  const widget = p.locator("anlaufstelle-hilfe");
  await realContact(widget);
  const border = () => widget.locator(".as-widget").evaluate((el) => getComputedStyle(el).borderTopWidth);
  assert.equal(await border(), "4px");
  await p.emulateMedia({ forcedColors: "active", reducedMotion: "reduce" });
  // The forced-colours rules apply: a thin system-coloured frame instead of the accent bar.
  assert.equal(await border(), "1px");
  assert.deepEqual(await violations(p), []);
  await p.close();
});

test("the check sees into the widget's shadow root: a planted violation is reported", async () => {
  const page = await demo();
  await page.evaluate(() => {
    const img = document.createElement("img");
    img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    document.querySelector("anlaufstelle-hilfe").shadowRoot.querySelector(".as-widget").append(img);
  });
  const found = await violations(page);
  assert.equal(found.length, 1, found.join("\n"));
  assert.match(found[0], /^image-alt:/);
  await page.close();
});
