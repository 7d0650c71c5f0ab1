// Issue 5 in the browser: the contact form, keyboard only — error summary that takes focus
// and leads to the fields, then the reference shown and focused after sending.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer } from "./support.mjs";

let server;
let browser;

before(async () => {
  // No minimum fill time, so the test need not wait; everything else as in production.
  server = await startServer(["--min-fill-seconds", "0"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The element focused inside the widget's shadow root, described for assertions. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.querySelector("anlaufstelle-hilfe").shadowRoot.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim().slice(0, 80) } : null;
  });
}

/** One word for where focus is: `host` outside the widget, else the focused control inside it. */
function stop(page) {
  return page.evaluate(() => {
    const el = document.querySelector("anlaufstelle-hilfe").shadowRoot.activeElement;
    if (!el) return "host";
    const text = el.textContent.trim();
    return el.id || (el.name && `${el.localName}[name=${el.name}]`) || `${el.localName}:${text.slice(0, 40)}`;
  });
}

/** Presses Tab until focus is on `target` (see `stop`); returns the stops passed on the way. */
async function tabTo(page, target, most = 60) {
  const passed = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const here = await stop(page);
    if (here === target) return passed;
    passed.push(here);
  }
  assert.fail(`${target} not reached with ${most} Tab presses; passed: ${passed.join(", ")}`);
}

test("a citizen sends a question with the keyboard alone and gets a reference", async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  const open = widget.getByRole("button", { name: "Nachricht schreiben" });
  await open.waitFor();
  assert.ok(!requests.some((u) => u.includes("/api/v1/messages")), "no form request before the citizen acts");

  // From the top of the host page, Tab by Tab: through the host's form and the contacts' links
  // to the disclosure of the further contacts, then the form's button.
  const toOpen = await tabTo(page, "button:Nachricht schreiben");
  assert.equal(toOpen.at(-1), "summary:Fachliche und technische Ansprechpartner", toOpen.join(", "));
  assert.ok(toOpen.includes("a:115"), toOpen.join(", "));
  await page.keyboard.press("Enter");
  await widget.getByRole("heading", { name: "Nachricht an die zuständige Stelle" }).waitFor();
  assert.equal((await focused(page))?.id, "as-form-title");

  // Category, message, a wrong address; consent forgotten.
  await page.keyboard.press("Tab");
  assert.equal((await focused(page))?.id, "as-f-category");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal((await focused(page))?.id, "as-f-message");
  const question = "Welche Nachweise brauche ich für das Elterngeld? <b>Danke</b>";
  await page.keyboard.type(question);
  assert.equal(await widget.locator("#as-count").innerText(), `${[...question].length} von 4000 Zeichen`);
  await page.keyboard.press("Tab");
  assert.equal((await focused(page))?.id, "as-f-reply_email");
  await page.keyboard.type("anna-at-example.de");
  // The rest of the form in order; the bots' hidden field is not on the way.
  assert.deepEqual(await tabTo(page, "button:Nachricht senden"), [
    "input[name=wants_confirmation]",
    "as-f-name",
    "as-f-consent",
    "a:Hinweise zum Datenschutz",
  ]);
  await page.keyboard.press("Enter");

  const summary = widget.locator(".as-summary");
  await summary.waitFor();
  const items = await summary.locator("li").allInnerTexts();
  assert.equal(items.length, 2, items.join(" | "));
  assert.match(items[0], /gültige E-Mail-Adresse/);
  assert.match(items[1], /stimmen Sie der Verarbeitung/);
  assert.equal((await focused(page))?.tag, "div", "the error summary takes focus");
  const email = widget.locator("#as-f-reply_email");
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  assert.match(await email.getAttribute("aria-describedby"), /as-err-reply_email/);

  // The summary's first link leads to the field.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page))?.id, "as-f-reply_email");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("anna@example.de");
  assert.deepEqual(await tabTo(page, "as-f-consent"), ["input[name=wants_confirmation]", "as-f-name"]);
  await page.keyboard.press("Space");
  assert.deepEqual(await tabTo(page, "button:Nachricht senden"), ["a:Hinweise zum Datenschutz"]);
  await page.keyboard.press("Enter");

  const sent = widget.getByRole("status").filter({ hasText: "Ihre Nachricht ist eingegangen." });
  await sent.waitFor();
  const reference = await sent.locator(".as-reference").innerText();
  assert.match(reference, /^AS-\d{4}-\d{6}$/);
  assert.match(await sent.innerText(), /Sie geht an: Elterngeldstelle Bremen/);
  assert.equal((await focused(page))?.text.startsWith("✓ Ihre Nachricht ist eingegangen."), true);
  await page.close();
});
