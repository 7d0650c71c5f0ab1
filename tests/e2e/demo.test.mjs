// The walking skeleton, seen through a real browser: one script tag on the demo form shows
// the right contact, rendered inside the widget's own shadow root.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer } from "./support.mjs";

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

test("the demo page shows the Bremen contact with a tel: link inside the widget", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");

  await widget.getByRole("heading", { name: "Behördennummer 115 – Bürgertelefon Bremen" }).waitFor();
  const phone = widget.getByRole("link", { name: "115", exact: true });
  assert.equal(await phone.getAttribute("href"), "tel:115");
  assert.match(await widget.locator(".as-hours").first().innerText(), /Mo–Fr\s+07:00–18:00 Uhr/);

  // Everything lives in the shadow root; the host page gains no stylesheet and no light-DOM
  // children, and its global rules (h2 in uppercase) do not reach the widget.
  const isolation = await page.evaluate(() => {
    const host = document.querySelector("anlaufstelle-hilfe");
    return {
      rendersInShadow: host.shadowRoot.querySelector(".as-name") !== null,
      lightChildren: host.children.length,
      documentSheets: [...document.styleSheets].map((s) => new URL(s.href).pathname),
      documentAdopted: document.adoptedStyleSheets.length,
      titleTransform: getComputedStyle(host.shadowRoot.querySelector(".as-title")).textTransform,
      hostTitleTransform: getComputedStyle(document.querySelector(".side-box h2")).textTransform,
    };
  });
  assert.deepEqual(isolation, {
    rendersInShadow: true,
    lightChildren: 0,
    documentSheets: ["/demo/demo.css"],
    documentAdopted: 0,
    titleTransform: "none",
    hostTitleTransform: "uppercase",
  });
  await page.close();
});

test("a page on another origin gets the contact of the region in its data-ars", async () => {
  const page = await browser.newPage();
  // about:blank is a different origin from the server: the widget must load cross-origin.
  await page.setContent(`<!doctype html><html lang="de"><body>
    <div id="help"></div>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-ars="091620000000" data-target="#help" async></script>
  </body></html>`);
  const widget = page.locator("#help anlaufstelle-hilfe");
  await widget.getByRole("heading", { name: "Bürgerservice München" }).waitFor();
  const phone = widget.getByRole("link", { name: "+49 89 9999 0233" });
  assert.equal(await phone.getAttribute("href"), "tel:+498999990233");
  await page.close();
});

test("when the API cannot be reached the widget falls back to the 115", async () => {
  const page = await browser.newPage();
  await page.route("**/api/v1/help**", (route) => route.abort("connectionrefused"));
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("status").filter({ hasText: "nicht abrufbar" }).waitFor();
  const phone = widget.getByRole("link", { name: "115", exact: true });
  assert.equal(await phone.getAttribute("href"), "tel:115");
  await page.close();
});

test("when the API hangs the fallback shows instead of an endless spinner", async () => {
  const page = await browser.newPage();
  // The request is never answered: neither fulfilled nor refused.
  await page.route("**/api/v1/help**", () => {});
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByRole("status").filter({ hasText: "nicht abrufbar" }).waitFor();
  assert.equal(await widget.getByRole("link", { name: "115", exact: true }).getAttribute("href"), "tel:115");
  await page.close();
});

test("when the widget's code cannot be loaded the loader still shows the 115", async () => {
  const page = await browser.newPage();
  await page.route("**/*.wasm", (route) => route.abort("connectionrefused"));
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.getByText("Die Behördennummer 115 hilft Ihnen weiter").waitFor();
  assert.equal(await widget.getByRole("link", { name: "115", exact: true }).getAttribute("href"), "tel:115");
  await page.close();
});
