// Writes screenshots of the demo page at desktop and phone widths: `cargo xtask screenshot`.
import { join } from "node:path";
import { launchBrowser, startServer } from "./support.mjs";

const outDir = process.argv[2];
const server = await startServer();
// German UI locale, so form controls (the date field) look as they do for a citizen here.
const browser = await launchBrowser(["--lang=de-DE"]);
try {
  for (const [name, viewport] of [
    ["desktop", { width: 1280, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ]) {
    const page = await browser.newPage({
      viewport,
      deviceScaleFactor: name === "phone" ? 2 : 1,
      locale: "de-DE",
    });
    await page.goto(`${server.url}/demo/`);
    // On a phone the widget sits below the form and loads when the citizen scrolls to it.
    await page.locator("anlaufstelle-hilfe").scrollIntoViewIfNeeded();
    await page.locator("anlaufstelle-hilfe .as-name").first().waitFor();
    await page.evaluate(() => scrollTo(0, 0));
    const path = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`wrote ${path}`);
    await page.close();
  }
  // The contact form after sending it empty: errors at the fields and in a focused summary.
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "de-DE" });
    await page.goto(`${server.url}/demo/`);
    const widget = page.locator("anlaufstelle-hilfe");
    await widget.getByRole("button", { name: "Nachricht schreiben" }).click();
    await widget.getByRole("button", { name: "Nachricht senden" }).click();
    await widget.locator(".as-summary").waitFor();
    const path = join(outDir, "screenshot-form.png");
    await widget.locator(".as-form-block").screenshot({ path });
    console.log(`wrote ${path}`);
    await page.close();
  }

  // The widget with a live disruption notice, as a citizen in the form sees it.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "de-DE" });
  await page.goto(`${server.url}/demo/`);
  const widget = page.locator("anlaufstelle-hilfe");
  await widget.locator(".as-name").first().waitFor();
  const response = await fetch(`${server.url}/api/v1/notices`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "incident",
      impact: "major",
      services: ["99041006017000"],
      regions: ["04"],
      content: {
        de: {
          title: "Nachweise können derzeit nicht hochgeladen werden",
          body: "Beim Hochladen von Dokumenten tritt ein Fehler auf. Wir arbeiten an der Behebung.",
          still_works: "Sie können den Antrag weiter ausfüllen und später hochladen.",
          answers_kept: "yes",
          alternative: "Rufen Sie die Behördennummer 115 an.",
        },
      },
    }),
  });
  if (response.status !== 201) throw new Error(`notice not created: ${response.status}`);
  await widget.locator(".as-notice").waitFor();
  const path = join(outDir, "screenshot-notice.png");
  await widget.screenshot({ path });
  console.log(`wrote ${path}`);
  await page.close();

  // The entry page with banner and launcher, the launcher opened, at desktop and phone widths.
  for (const [name, viewport] of [
    ["launcher-desktop", { width: 1280, height: 800 }],
    ["launcher-phone", { width: 390, height: 844 }],
  ]) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}/demo/start.html`);
    const launcher = page.locator("anlaufstelle-hilfe[mode=launcher]");
    await launcher.locator(".as-launcher").click();
    await launcher.locator(".as-dialog .as-name").first().waitFor();
    const path = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path });
    console.log(`wrote ${path}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
