// Issue 4 in the browser: a notice raised while the demo form is open appears in the widget
// without reload, in an assertive live region for a critical incident, and goes away when it
// is resolved; banner mode shows notices only.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, operator, startServer } from "./support.mjs";

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

const critical = {
  kind: "incident",
  impact: "critical",
  services: ["99041006017000"],
  regions: ["04"],
  content: {
    de: {
      title: "Elterngeld-Antrag kann derzeit nicht abgeschickt werden",
      body: "Beim Absenden tritt ein Fehler auf. Wir arbeiten an der Behebung.",
      still_works: "Sie können den Antrag weiter ausfüllen und zwischenspeichern.",
      answers_kept: "yes",
      alternative: "Rufen Sie die Behördennummer 115 an.",
    },
  },
};

test("a notice raised while the form is open appears live, is announced, and goes away", async () => {
  const page = await browser.newPage();
  const streamOpen = page.waitForResponse((r) => r.url().includes("/api/v1/notices/stream"));
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Behördennummer 115 – Bürgertelefon Bremen" }).waitFor();
  await streamOpen;

  const notice = await operator(server, "POST", "/api/v1/notices", critical);
  const title = widget.getByRole("heading", { name: critical.content.de.title });
  await title.waitFor();
  const region = await title.evaluate((el) => el.closest("[aria-live]")?.getAttribute("aria-live"));
  assert.equal(region, "assertive", "critical incidents interrupt the screen reader");
  const card = widget.locator(".as-notice");
  const text = await card.innerText();
  assert.match(text, /Störung – wird untersucht · Dienst nicht nutzbar/);
  assert.match(text, /Ihre bisherigen Eingaben bleiben erhalten\./);
  assert.match(text, /Stattdessen: Rufen Sie die Behördennummer 115 an\./);

  await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "identified", impact: "minor" });
  await widget.getByText("Störung – Ursache gefunden · leicht eingeschränkt").waitFor();
  const politeNow = await title.evaluate((el) => el.closest("[aria-live]")?.getAttribute("aria-live"));
  assert.equal(politeNow, "polite", "a minor incident no longer interrupts");

  await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "resolved" });
  await title.waitFor({ state: "detached" });
  // The page was never reloaded: the contact stayed on screen all along.
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1);
  await page.close();
});

test("banner mode shows only the notices, for portal entry pages", async () => {
  const notice = await operator(server, "POST", "/api/v1/notices", {
    ...critical,
    impact: "minor",
    content: { de: { ...critical.content.de, title: "Hinweis für Bremen" } },
  });
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="de"><body>
    <main><h1>Familie und Kinder</h1><a href="#">Elterngeld beantragen</a></main>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-mode="banner" data-leika="99041006017000" data-ars="040110000000" async></script>
  </body></html>`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Hinweis für Bremen" }).waitFor();
  assert.equal(await widget.getByRole("heading", { name: "Wer kann mir helfen?" }).count(), 0);
  await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "resolved" });
  await widget.getByRole("heading", { name: "Hinweis für Bremen" }).waitFor({ state: "detached" });
  await page.close();
});

// Records, in the page, the moment the contacts first exist in the widget's shadow root: whether
// the notice was there already, and where the heading stood then and in the loading state just
// before (sampled every frame and on every change while loading: the heading's first position
// could be taken before the host page's stylesheet applies — when an earlier test left the loader
// in the browser's cache — and the page's own layout moving the widget is not the widget's doing).
const watchFirstRender = `(() => {
  const seen = (window.__firstRender = {});
  const look = (root) => {
    if (seen.noticeWithContact !== undefined) return;
    const title = root.querySelector(".as-title");
    if (title && !root.querySelector(".as-contact")) seen.loadingTitleTop = title.getBoundingClientRect().top;
    if (root.querySelector(".as-contact")) {
      seen.noticeWithContact = root.querySelector(".as-notice") !== null;
      seen.titleTop = title.getBoundingClientRect().top;
      seen.noticeAfterTitle = Boolean(title.compareDocumentPosition(root.querySelector(".as-notices")) & Node.DOCUMENT_POSITION_FOLLOWING);
    }
  };
  new MutationObserver(() => {
    const host = document.querySelector("anlaufstelle-hilfe");
    if (host?.shadowRoot && !seen.watching) {
      seen.watching = true;
      look(host.shadowRoot);
      new MutationObserver(() => look(host.shadowRoot)).observe(host.shadowRoot, { childList: true, subtree: true });
      const everyFrame = () => {
        look(host.shadowRoot);
        if (seen.noticeWithContact === undefined) requestAnimationFrame(everyFrame);
      };
      requestAnimationFrame(everyFrame);
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

test("a notice that arrives after the contacts answer shows together with them, below the heading: nothing on screen moves", async () => {
  const notice = await operator(server, "POST", "/api/v1/notices", {
    ...critical,
    impact: "minor",
    content: { de: { ...critical.content.de, title: "Hinweis beim Laden" } },
  });
  const page = await browser.newPage();
  await page.addInitScript(watchFirstRender);
  // The notices' stream answers only once the contacts' answer is in: the late order.
  const helpAnswered = page.waitForResponse((r) => r.url().includes("/api/v1/help"));
  await page.route("**/api/v1/notices/stream**", async (route) => {
    await helpAnswered;
    await route.continue();
  });
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Hinweis beim Laden" }).waitFor();
  await widget.locator(".as-contact").first().waitFor();
  const seen = await page.evaluate(() => window.__firstRender);
  assert.equal(seen.noticeWithContact, true, "the contacts appeared before the notice above them");
  assert.equal(seen.noticeAfterTitle, true, "notices follow the heading");
  assert.equal(seen.titleTop, seen.loadingTitleTop, "the heading stays where the loading state had it");
  await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "resolved" });
  await page.close();
});

test("a notice stream that never answers holds the contacts back only for a moment", async () => {
  const page = await browser.newPage();
  // The request is left hanging, as behind a proxy that buffers streams.
  await page.route("**/api/v1/notices/stream**", () => {});
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Behördennummer 115 – Bürgertelefon Bremen" }).waitFor();
  assert.equal(await widget.locator(".as-notice").count(), 0);
  assert.equal(await widget.locator(".as-fallback").count(), 0, "the contacts, not the offline fallback");
  await page.close();
});
