// Issue 3 in the browser: the region picker when the host gives no ARS, reachability, and the
// 2nd-level contacts behind a disclosure.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BREMEN_CONTACT, launchBrowser, realContact, startServer } from "./support.mjs";

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

/** A page on another origin embedding the widget for Elterngeld without a region. */
async function pageWithoutRegion() {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><html lang="de"><body>
    <main><h1>Elterngeld</h1><div id="help"></div></main>
    <script src="${server.url}/widget/v1/anlaufstelle.js" data-leika="99041006017000" data-target="#help" async></script>
  </body></html>`);
  return page;
}

test("without data-ars the citizen finds a shared PLZ, picks a place and gets its contact", async () => {
  const page = await pageWithoutRegion();
  const widget = page.locator("#help anlaufstelle-hilfe");
  const field = widget.getByLabel("Postleitzahl oder Ort");
  await field.fill("01920");
  await widget.getByRole("button", { name: "Suchen" }).click();
  await widget.getByRole("status").filter({ hasText: "2 Orte gefunden." }).waitFor();
  const candidates = widget.locator(".as-candidate-name");
  assert.deepEqual(await candidates.allInnerTexts(), ["Crostwitz", "Panschwitz-Kuckau"]);

  await widget.getByRole("button", { name: /Panschwitz-Kuckau/ }).click();
  // Sachsen is not in the 115-Verbund and has its own Elterngeld line.
  const heading = widget.getByRole("heading", { name: "Elterngeldstelle Sachsen – Servicetelefon" });
  await heading.waitFor();
  const focused = await page.evaluate(
    () => document.querySelector("anlaufstelle-hilfe").shadowRoot.activeElement?.textContent,
  );
  assert.equal(focused, "Elterngeldstelle Sachsen – Servicetelefon", "focus follows the answer");
  const state = await widget.locator(".as-state").first().innerText();
  assert.match(state, /^[●○] (Jetzt erreichbar – bis|Zurzeit nicht erreichbar)/);
  await widget.getByRole("button", { name: "Anderen Ort wählen" }).click();
  await widget.getByLabel("Postleitzahl oder Ort").waitFor();
  await page.close();
});

test("the picker works with the keyboard alone and explains a too short query", async () => {
  const page = await pageWithoutRegion();
  const widget = page.locator("#help anlaufstelle-hilfe");
  await widget.getByLabel("Postleitzahl oder Ort").waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.type("L");
  await page.keyboard.press("Enter");
  const field = widget.getByLabel("Postleitzahl oder Ort");
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.match(await widget.locator("#as-place-error").innerText(), /mindestens 2 Zeichen/);

  await page.keyboard.type("üneburg");
  await page.keyboard.press("Enter");
  await widget.getByRole("status").filter({ hasText: "Orte gefunden." }).waitFor();
  // Tab past the search button to the first candidate: the Landkreis Lüneburg.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  // The Landkreis is served by the nationwide 115, which the offline fallback names alike: the
  // reachability the server computed is what only the real answer shows.
  await widget.locator(".as-state").first().waitFor();
  await realContact(widget, "Behördennummer 115");
  await page.close();
});

test("the 2nd-level contacts sit behind a disclosure on the demo page", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await realContact(widget, BREMEN_CONTACT);
  // The region's own service centre is offered as an alternative to the 115.
  await widget.getByRole("heading", { name: "BürgerServiceCenter Bremen-Mitte" }).waitFor();

  const fach = widget.getByRole("heading", { name: "Elterngeldstelle Bremen – Amt für Soziale Dienste" });
  assert.equal(await fach.isVisible(), false, "hidden until the citizen asks");
  await widget.getByText("Fachliche und technische Ansprechpartner").click();
  await fach.waitFor({ state: "visible" });
  assert.equal(
    await widget.getByRole("heading", { name: "Dataport – technischer Support Elterngeld digital" }).isVisible(),
    true,
  );
  await page.close();
});
