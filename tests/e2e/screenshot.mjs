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
    await page.locator("anlaufstelle-hilfe .as-name").first().waitFor();
    const path = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`wrote ${path}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
