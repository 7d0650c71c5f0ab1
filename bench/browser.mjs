// Browser figures for `cargo xtask bench` (or `cargo xtask bench browser` alone):
//
// - what the widget transfers until its contact and a live notice are on screen, per request
//   and in total (Chromium's own accounting via the DevTools protocol: bytes on the wire,
//   headers included, with the content encoding the server chose);
// - time from "script start" to contact rendered and to notice rendered, in headless Chromium
//   on loopback, cold (fresh browser context, empty HTTP cache) and warm (second navigation in
//   the same context), median / min / max of BENCH_RUNS runs (default 7);
// - the host page's Lighthouse performance (npm `lighthouse` from bench/node_modules driving
//   Debian's Chromium) with and without the widget, mobile and desktop presets, median of
//   BENCH_LIGHTHOUSE_RUNS runs (default 3; 0 skips Lighthouse).
//
// The host pages come from a second origin (a node:http server on another loopback port), as
// on a real portal: the demo page's markup as the server serves it, with its links made
// absolute, once with the widget's script tag pointing at the server and once without it.
//
// Environment: ANLAUFSTELLE_BIN (the release server), CHROMIUM (default /usr/bin/chromium),
// BENCH_LIGHTHOUSE_REPORTS (a directory: keep every Lighthouse JSON report there, to read what
// the figures come from).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startServer } from "../tests/e2e/support.mjs";

// What the widget renders; change here when the markup changes.
const HOST_ELEMENT = "anlaufstelle-hilfe";
/** The resolved contact (the offline fallback carries `.as-fallback` and does not count). */
const CONTACT_SELECTOR = ".as-contact:not(.as-fallback)";
const NOTICE_SELECTOR = ".as-notice";
/** The loader's path on the server. */
const LOADER_PATH = "/widget/v1/anlaufstelle.js";
/** Prefix of the performance marks the init script leaves (no globals are touched). */
const MARK = "anlaufstelle-bench:";

const RUNS = positive(process.env.BENCH_RUNS, 7);
const LIGHTHOUSE_RUNS = positive(process.env.BENCH_LIGHTHOUSE_RUNS, 3, true);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** Lighthouse's default (mobile: Moto G Power, slow 4G simulated) and its desktop preset. */
const PRESETS = [
  ["mobile", []],
  ["desktop", ["--preset=desktop"]],
];
const HERE = dirname(fileURLToPath(import.meta.url));
/** Numbers the reports kept for BENCH_LIGHTHOUSE_REPORTS. */
let reportCount = 0;
const LIGHTHOUSE_CLI = join(HERE, "node_modules", "lighthouse", "cli", "index.js");

function positive(value, fallback, zeroOk = false) {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) throw new Error(`not a count: ${value}`);
  return n;
}

// Runs in every page before its scripts: finds the host element when it is inserted, then
// watches its (open) shadow root and leaves a performance mark the moment the contact and the
// notice first exist there. Only observers and marks — the page's globals stay untouched.
const initScript = `(() => {
  const wanted = ${JSON.stringify({ contact: CONTACT_SELECTOR, notice: NOTICE_SELECTOR })};
  const seen = new Set();
  const check = (root) => {
    for (const [name, selector] of Object.entries(wanted)) {
      if (!seen.has(name) && root.querySelector(selector)) {
        seen.add(name);
        performance.mark(${JSON.stringify(MARK)} + name);
      }
    }
    return seen.size === Object.keys(wanted).length;
  };
  let watching = false;
  const watch = (host) => {
    if (watching) return;
    const root = host.shadowRoot;
    if (!root) {
      // attachShadow follows the insertion in the same task; look again on the next frame.
      requestAnimationFrame(() => watch(host));
      return;
    }
    watching = true;
    if (check(root)) return;
    const inner = new MutationObserver(() => check(root) && inner.disconnect());
    inner.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  };
  const outer = new MutationObserver(() => {
    const host = document.querySelector(${JSON.stringify(HOST_ELEMENT)});
    if (host) {
      outer.disconnect();
      watch(host);
    }
  });
  outer.observe(document, { childList: true, subtree: true });
})();`;

// ---------------------------------------------------------------------------------------------

const server = await startServer();
const cleanup = [() => server.stop()];
let browser;
try {
  const notice = await createNotice(server);
  const pages = await hostPages(server.url);
  cleanup.unshift(() => pages.close());
  console.error(`bench: server ${server.url}, host pages on ${pages.origin}, notice ${notice.id}`);

  browser = await launchBrowser();
  const chromiumVersion = browser.version();
  cleanup.unshift(() => browser.close());

  const cold = [];
  const warm = [];
  let coldNet;
  let warmNet;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(initScript);
    const net = await networkLog(context, page);
    cold.push(await measure(page, pages.withWidget));
    const coldSnapshot = await net.snapshot();
    net.reset();
    warm.push(await measure(page, pages.withWidget));
    const warmSnapshot = await net.snapshot();
    if (i === 0) {
      coldNet = coldSnapshot;
      warmNet = warmSnapshot;
    }
    await context.close();
    console.error(
      `bench: run ${i + 1}/${RUNS}: cold contact ${ms(cold[i].contact)} notice ${ms(cold[i].notice)}, ` +
        `warm contact ${ms(warm[i].contact)} notice ${ms(warm[i].notice)}`,
    );
  }
  await browser.close();
  cleanup.shift();

  const lighthouse = LIGHTHOUSE_RUNS > 0 ? await lighthouseAll(pages) : null;

  report({ server, pages, chromiumVersion, cold, warm, coldNet, warmNet, lighthouse });
} finally {
  for (const step of cleanup) await step().catch(() => {});
}

// ---------------------------------------------------------------------------------------------

/** A live notice for the demo page's service and region, raised through the operator API. */
async function createNotice(server) {
  const demo = await (await fetch(`${server.url}/demo/`)).text();
  const tag = widgetTag(demo);
  const ars = attr(tag, "data-ars");
  const leika = attr(tag, "data-leika");
  const response = await fetch(`${server.url}/api/v1/notices`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "incident",
      impact: "minor",
      services: leika ? [leika] : [],
      regions: ars ? [ars] : [],
      content: {
        de: {
          title: "Benchmark: Verzögerungen beim Hochladen von Nachweisen",
          body: "Das Hochladen von Nachweisen dauert derzeit länger als gewohnt.",
          still_works: "Sie können den Antrag weiter ausfüllen.",
          answers_kept: "yes",
          alternative: "Laden Sie die Nachweise später hoch.",
        },
      },
    }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`creating the notice failed: ${JSON.stringify(json)}`);
  return json;
}

function widgetTag(html) {
  const tags = html.match(/<script\b[^>]*>\s*<\/script>/g) ?? [];
  const tag = tags.find((t) => attr(t, "src")?.endsWith(LOADER_PATH));
  if (!tag) throw new Error(`the demo page has no <script src="…${LOADER_PATH}"> tag`);
  return tag;
}

function attr(tag, name) {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

/**
 * Serves the demo page from a second origin: `/with-widget.html` (the script tag points at the
 * server), `/without-widget.html` (the tag removed) and `/naive-host.html` (the widget moved
 * first in its column, above the page's own box, and the room the demo reserves for it taken
 * away, as on a host that did not follow the README).
 * Root-relative links point at the server.
 */
async function hostPages(serverUrl) {
  const demo = await (await fetch(`${serverUrl}/demo/`)).text();
  const tag = widgetTag(demo);
  const absolute = demo.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${serverUrl}/`);
  const withWidget = absolute;
  const withoutWidget = absolute.replace(/[ \t]*<script\b[^>]*>\s*<\/script>[ \t]*\r?\n?/g, (t) =>
    attr(t, "src")?.endsWith(LOADER_PATH) ? "" : t,
  );
  if (withoutWidget === withWidget || !withWidget.includes(`${serverUrl}${LOADER_PATH}`) || !tag) {
    throw new Error("could not rewrite the demo page's widget tag");
  }
  // The naive host: the widget first in its column, above the page's own box, and no room
  // reserved, so that box moves down as the widget grows.
  const aside = withWidget.match(/<aside\b[^>]*>/)?.[0];
  const absoluteTag = widgetTag(withWidget);
  const naive = withWidget
    .replace(absoluteTag, "")
    .replace(aside, `${aside}\n${absoluteTag}`)
    .replace("</head>", "<style>anlaufstelle-hilfe { --anlaufstelle-min-height: 0 !important; }</style></head>");
  if (!aside || !naive.includes(`</style></head>`)) {
    throw new Error("could not rewrite the demo page into the naive host (no <aside>, tag or </head>)");
  }
  const bodies = { "/with-widget.html": withWidget, "/without-widget.html": withoutWidget, "/naive-host.html": naive };
  const http = createServer((req, res) => {
    const body = bodies[new URL(req.url, "http://x").pathname];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
    res.end(body);
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${http.address().port}`;
  return {
    origin,
    serverOrigin: new URL(serverUrl).origin,
    withWidget: `${origin}/with-widget.html`,
    withoutWidget: `${origin}/without-widget.html`,
    naiveHost: `${origin}/naive-host.html`,
    close: () => new Promise((resolve) => http.close(resolve)),
  };
}

/** One navigation; resolves with ms from the loader's responseEnd to contact and notice. */
async function measure(page, url) {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(
    (mark) =>
      performance.getEntriesByName(mark + "contact").length > 0 &&
      performance.getEntriesByName(mark + "notice").length > 0,
    MARK,
    { timeout: 20_000, polling: 50 },
  );
  const t = await page.evaluate(
    ({ mark, loader }) => {
      const at = (name) => performance.getEntriesByName(mark + name)[0].startTime;
      const resources = performance.getEntriesByType("resource");
      const script = resources.find((e) => new URL(e.name).pathname === loader);
      const wasm = resources.find((e) => new URL(e.name).pathname.endsWith(".wasm"));
      const help = resources.find((e) => new URL(e.name).pathname.endsWith("/api/v1/help"));
      return {
        wasmResponseEnd: wasm?.responseEnd ?? NaN,
        helpStart: help?.startTime ?? NaN,
        helpResponseEnd: help?.responseEnd ?? NaN,
        scriptFetchStart: script.startTime,
        scriptResponseEnd: script.responseEnd,
        contactAbs: at("contact"),
        noticeAbs: at("notice"),
        load: performance.getEntriesByType("navigation")[0]?.loadEventEnd ?? 0,
      };
    },
    { mark: MARK, loader: LOADER_PATH },
  );
  return {
    ...t,
    contact: t.contactAbs - t.scriptResponseEnd,
    notice: t.noticeAbs - t.scriptResponseEnd,
    wasm: t.wasmResponseEnd - t.scriptResponseEnd,
    helpStart: t.helpStart - t.scriptResponseEnd,
    helpEnd: t.helpResponseEnd - t.scriptResponseEnd,
  };
}

/**
 * Chromium's network accounting for one page (CDP Network domain). `encodedDataLength` is
 * what crossed the wire for a request, headers included; for a stream that is still open (the
 * notices' SSE) it is the bytes received so far.
 */
async function networkLog(context, page) {
  const cdp = await context.newCDPSession(page);
  let requests = new Map();
  const get = (id) => requests.get(id);
  cdp.on("Network.requestWillBeSent", (e) => {
    requests.set(e.requestId, {
      url: e.request.url,
      method: e.request.method,
      type: e.type,
      status: 0,
      encoding: "",
      cache: "",
      headerBytes: 0,
      received: 0,
      streamed: 0,
      finished: null,
      bodyBytes: 0,
    });
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = get(e.requestId);
    if (r) r.cache = "memory";
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.type = e.type;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.encoding = headers["content-encoding"] ?? "";
    r.contentType = headers["content-type"] ?? "";
    if (e.response.fromDiskCache) r.cache = "disk";
    r.received = e.response.encodedDataLength ?? 0;
  });
  cdp.on("Network.responseReceivedExtraInfo", (e) => {
    const r = get(e.requestId);
    if (r && e.headersText) r.headerBytes = e.headersText.length;
  });
  cdp.on("Network.dataReceived", (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.streamed += e.encodedDataLength;
    r.bodyBytes += e.dataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = get(e.requestId);
    if (r) r.finished = e.encodedDataLength;
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  return {
    reset() {
      requests = new Map();
    },
    /** The requests so far, after a moment for the last protocol events to arrive. */
    async snapshot() {
      await new Promise((resolve) => setTimeout(resolve, 250));
      return [...requests.values()]
        .filter((r) => /^https?:/.test(r.url))
        .map((r) => ({ ...r, bytes: r.finished ?? openBytes(r), open: r.finished === null }));
    },
  };
}

/**
 * Bytes so far of a response still open. Chromium reports a stream's encoded bytes only when
 * it ends; the SSE stream is sent uncompressed, so its decoded bytes are its bytes on the wire
 * (plus the headers, counted at the response).
 */
function openBytes(r) {
  const identity = r.encoding === "" || r.encoding === "identity";
  return r.received + Math.max(r.streamed, identity ? r.bodyBytes : 0);
}

// --- Lighthouse ------------------------------------------------------------------------------

async function lighthouseAll(pages) {
  const results = {};
  for (const [preset, flags] of PRESETS) {
    results[preset] = { without: [], with: [], naive: [] };
    for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
      // Alternate, so drift on the machine hits all sides alike.
      for (const [side, url] of [
        ["without", pages.withoutWidget],
        ["with", pages.withWidget],
        ["naive", pages.naiveHost],
      ]) {
        const r = await lighthouseOnce(url, flags);
        results[preset][side].push(r);
        console.error(
          `bench: lighthouse ${preset} ${side} ${i + 1}/${LIGHTHOUSE_RUNS}: score ${r.score}, ` +
            `TBT ${ms(r.tbt)}, LCP ${ms(r.lcp)}, CLS ${r.cls.toFixed(3)}`,
        );
      }
    }
  }
  return results;
}

async function lighthouseOnce(url, flags) {
  const dir = mkdtempSync(join(tmpdir(), "anlaufstelle-lh-"));
  const out = join(dir, "report.json");
  try {
    await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          LIGHTHOUSE_CLI,
          url,
          ...flags,
          "--only-categories=performance",
          "--output=json",
          `--output-path=${out}`,
          "--quiet",
          "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run",
        ],
        { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ["ignore", "ignore", "pipe"] },
      );
      let err = "";
      child.stderr.on("data", (chunk) => (err += chunk));
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`lighthouse exited with ${code}:\n${err}`)),
      );
    });
    const report = readFileSync(out, "utf8");
    if (process.env.BENCH_LIGHTHOUSE_REPORTS) {
      const keep = process.env.BENCH_LIGHTHOUSE_REPORTS;
      mkdirSync(keep, { recursive: true });
      const name = `${new URL(url).pathname.slice(1).replace(/\.html$/, "")}${flags.length ? "-desktop" : "-mobile"}-${++reportCount}.json`;
      writeFileSync(join(keep, name), report);
    }
    const lhr = JSON.parse(report);
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const value = (id) => lhr.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round((lhr.categories.performance.score ?? NaN) * 100),
      fcp: value("first-contentful-paint"),
      lcp: value("largest-contentful-paint"),
      tbt: value("total-blocking-time"),
      cls: value("cumulative-layout-shift"),
      si: value("speed-index"),
      tti: value("interactive"),
      warnings: lhr.runWarnings ?? [],
      version: lhr.lighthouseVersion,
      lcpElement: nodes(lhr.audits["largest-contentful-paint-element"])[0] ?? "",
      shifted: nodes(lhr.audits["layout-shifts"]),
      // Whether the widget started during the run (an instance out of view waits: lazy start).
      wasmLoaded: (lhr.audits["network-requests"]?.details?.items ?? []).some((r) => r.url?.endsWith(".wasm")),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The elements an audit names (LCP element, layout-shift culprits), as short snippets. */
function nodes(audit) {
  const found = [];
  const walk = (value) => {
    if (!value || typeof value !== "object") return;
    if (value.type === "node" && value.snippet) {
      const text = (s) => s.replace(/\s+/g, " ").trim();
      const label = value.nodeLabel && !value.snippet.includes(value.nodeLabel) ? ` "${text(value.nodeLabel)}"` : "";
      found.push((text(value.snippet) + label).slice(0, 100));
      return;
    }
    for (const v of Object.values(value)) walk(v);
  };
  walk(audit?.details);
  return [...new Set(found)];
}

// --- the report ------------------------------------------------------------------------------

function report({ server, pages, chromiumVersion, cold, warm, coldNet, warmNet, lighthouse }) {
  const serverOrigin = pages.serverOrigin;
  const byWidget = (r) => {
    const u = new URL(r.url);
    return u.origin === serverOrigin && !u.pathname.startsWith("/demo/");
  };
  const isStatic = (r) => new URL(r.url).pathname.startsWith("/widget/");
  const short = (url) => {
    const u = new URL(url);
    return (u.pathname + u.search).replace(/(anlaufstelle-)[0-9a-f]{16}(\.wasm)/, "$1<hash>$2");
  };

  const out = [];
  const line = (s = "") => out.push(s);
  line();
  line(`widget in the browser: headless Chromium ${chromiumVersion}, loopback, host page on a second origin`);
  line(`  server ${server.url}, host page ${pages.withWidget}`);
  line(
    `  machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")} ` +
      `(1 / 5 / 15 min) — timings grow with a busy machine`,
  );
  line();
  line(`requests the widget makes until contact and notice are rendered (cold cache, run 1)`);
  line(`  bytes = transferred on the wire as Chromium counts it (headers + encoded body)`);
  const widgetCold = coldNet.filter(byWidget);
  const w = Math.max(40, ...widgetCold.map((r) => short(r.url).length + 2));
  line(`  ${pad("request", w)}${lpad("status", 7)}${lpad("encoding", 10)}${lpad("bytes", 10)}`);
  for (const r of widgetCold) {
    const note = r.open ? "  (stream, still open)" : "";
    line(`  ${pad(short(r.url), w)}${lpad(r.status, 7)}${lpad(r.encoding || "none", 10)}${lpad(num(r.bytes), 10)}${note}`);
  }
  const sum = (rs) => rs.reduce((t, r) => t + r.bytes, 0);
  const staticBytes = sum(widgetCold.filter(isStatic));
  const apiBytes = sum(widgetCold.filter((r) => !isStatic(r)));
  line(`  ${pad("total", w)}${lpad("", 17)}${lpad(num(staticBytes + apiBytes), 10)}`);
  line(`    static (loader + wasm)  ${num(staticBytes)} B`);
  line(`    API (JSON + SSE)        ${num(apiBytes)} B`);
  const host = coldNet.filter((r) => !byWidget(r));
  line(`  host page's own requests (not counted): ${host.map((r) => short(r.url)).join(", ")}`);
  const widgetWarm = warmNet.filter(byWidget);
  line(
    `  warm (second navigation): ${num(sum(widgetWarm))} B over the wire in ${widgetWarm.length} requests` +
      ` (${widgetWarm.filter((r) => r.cache).length} served from the HTTP cache)`,
  );
  line();
  line(`widget in the browser (loopback, ${RUNS} runs)          cold: median (min–max)     warm: median (min–max)`);
  const row = (label, key) =>
    line(`  ${pad(label, 50)}${pad(stat(cold.map((r) => r[key])), 27)}${stat(warm.map((r) => r[key]))}`);
  row("script loaded (responseEnd) → contact rendered", "contact");
  row("script loaded (responseEnd) → notice rendered", "notice");
  line(`  of which, from script loaded:`);
  row("  → wasm loaded (responseEnd)", "wasm");
  row("  → help request sent (wasm compiled, mounted)", "helpStart");
  row("  → help answer received (responseEnd)", "helpEnd");
  row("navigation start → script loaded (responseEnd)", "scriptResponseEnd");
  row("navigation start → contact rendered", "contactAbs");
  row("navigation start → notice rendered", "noticeAbs");
  line(`  "rendered" = the element exists in the widget's shadow root (MutationObserver);`);
  line(`  "script loaded" = responseEnd of ${LOADER_PATH}, the closest to when it starts executing`);

  if (lighthouse) {
    const first = Object.values(lighthouse)[0].with[0];
    line();
    line(
      `host demo page, Lighthouse ${first.version} (Chromium ${chromiumVersion}), performance only, ` +
        `median of ${LIGHTHOUSE_RUNS}, simulated throttling`,
    );
    line(`  each figure is the median of its own ${LIGHTHOUSE_RUNS} values; mobile = Lighthouse's default (simulated slow 4G, 4× CPU), desktop = --preset=desktop`);
    line(`  "with widget" = the demo page as shipped: the widget last in its column, room reserved (demo.css);`);
    line(`  "naive host" = the same page with the widget first in its column, above the page's own box, and no room reserved`);
    line(
      `  ${pad("", 34)}${lpad("without widget", 16)}${lpad("with widget", 16)}${lpad("difference", 14)}` +
        `${lpad("naive host", 14)}${lpad("difference", 14)}`,
    );
    for (const [preset, r] of Object.entries(lighthouse)) {
      const m = (side, key) => median(r[side].map((x) => x[key]));
      const rowLh = (label, key, f) => {
        const a = m("without", key);
        const b = m("with", key);
        const c = m("naive", key);
        line(
          `  ${pad(`${preset}: ${label}`, 34)}${lpad(f(a), 16)}${lpad(f(b), 16)}${lpad(f(b - a, true), 14)}` +
            `${lpad(f(c), 14)}${lpad(f(c - a, true), 14)}`,
        );
      };
      rowLh("performance score", "score", (v, d) => (d && v >= 0 ? "+" : "") + String(Math.round(v)));
      rowLh("First Contentful Paint", "fcp", msf);
      rowLh("Largest Contentful Paint", "lcp", msf);
      rowLh("Total Blocking Time", "tbt", msf);
      rowLh("Cumulative Layout Shift", "cls", (v, d) => (d && v >= 0 ? "+" : "") + v.toFixed(3));
      rowLh("Speed Index", "si", msf);
      rowLh("Time to Interactive", "tti", msf);
      const started = (runs) => `${runs.filter((x) => x.wasmLoaded).length} of ${runs.length} runs`;
      line(`  ${preset}: widget started (wasm fetched): with widget ${started(r.with)}, naive host ${started(r.naive)}`);
      const lcp = new Set(r.with.map((x) => x.lcpElement).filter(Boolean));
      line(`  ${preset}: LCP element with the widget: ${[...lcp].join(" | ") || "–"}`);
      const shifted = new Set(r.with.flatMap((x) => x.shifted));
      if (shifted.size) line(`  ${preset}: shifted with the widget: ${[...shifted].join(" | ")}`);
      const shiftedNaive = new Set(r.naive.flatMap((x) => x.shifted));
      if (shiftedNaive.size) line(`  ${preset}: shifted on the naive host: ${[...shiftedNaive].join(" | ")}`);
      const warnings = new Set([...r.with, ...r.without, ...r.naive].flatMap((x) => x.warnings));
      for (const w of warnings) line(`  ${preset}: Lighthouse warning: ${w}`);
    }
  }
  line();
  console.log(out.join("\n"));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function stat(values) {
  return `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
}

function ms(v) {
  return `${Math.round(v)} ms`;
}

function msf(v, difference = false) {
  return `${difference && v >= 0 ? "+" : ""}${Math.round(v).toLocaleString("en-US")} ms`;
}

function num(n) {
  return n.toLocaleString("en-US");
}

function pad(s, n) {
  return String(s).padEnd(n);
}

function lpad(s, n) {
  return String(s).padStart(n);
}
