// The public status page in Chromium: WCAG 2.1 AA with a live notice and on the page for a bad
// filter (axe-core finds nothing), styled although its policy allows no inline style, and no
// script can run on it.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launchBrowser, operator, startServer } from "./support.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
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

/** axe's WCAG 2.1 A/AA violations on the whole page (the policy is bypassed for axe only). */
async function violations(path) {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const response = await page.goto(`${server.url}${path}`);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }),
  );
  await context.close();
  return {
    status: response.status(),
    found: result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  };
}

test("the status page with a live notice and its page for a bad filter pass axe", async () => {
  const title = "Statusseite: Hochladen gestört";
  const notice = await operator(server, "POST", "/api/v1/notices", {
    kind: "incident",
    impact: "major",
    regions: ["04"],
    content: { de: { title, answers_kept: "yes" } },
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/status?ars=04`);
    await page.getByRole("heading", { name: title }).waitFor();
    // Styled from /status/style.css: the summary of a disruption has its coloured border.
    const border = await page.locator(".summary").evaluate((el) => getComputedStyle(el).borderLeftWidth);
    assert.notEqual(border, "0px");
    await page.close();

    const filtered = await violations("/status?ars=04");
    assert.equal(filtered.status, 200);
    assert.deepEqual(filtered.found, []);
    const bad = await violations("/status?ars=1x");
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.found, []);
  } finally {
    await operator(server, "PATCH", `/api/v1/notices/${notice.id}`, { state: "resolved" });
  }
});

test("no script runs on the status page, not even one injected into it", async () => {
  const page = await browser.newPage();
  const blocked = [];
  page.on("console", (m) => blocked.push(m.text()));
  await page.goto(`${server.url}/status`);
  await assert.rejects(page.addScriptTag({ content: "document.title = 'injected'" }));
  assert.notEqual(await page.title(), "injected");
  assert.ok(blocked.some((m) => m.includes("Content Security Policy")), blocked.join("\n"));
  await page.close();
});
