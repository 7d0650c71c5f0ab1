// Shared helpers for the browser tests: start the real server binary on a free port with a
// fresh SQLite database, and launch Debian's Chromium through playwright-core.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

/**
 * Starts `anlaufstelle serve` on 127.0.0.1:0 with sample data; resolves once it listens.
 * The result carries `token`, an unscoped operator token created for the test.
 */
export async function startServer(extraArgs = []) {
  const bin = process.env.ANLAUFSTELLE_BIN;
  if (!bin) throw new Error("ANLAUFSTELLE_BIN is not set; run the tests through `cargo xtask test`");
  const dataDir = mkdtempSync(join(tmpdir(), "anlaufstelle-e2e-"));
  const created = spawnSync(bin, ["token", "create", "--name", "e2e", "--data-dir", dataDir], {
    encoding: "utf8",
  });
  if (created.status !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const token = created.stdout.trim();
  const child = spawn(
    bin,
    ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--sample-data", ...extraArgs],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = line.match(/^listening on (http:\/\/\S+)$/);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${log}`)));
  });
  return {
    url,
    token,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the operator API of `server` with its token; asserts success and returns the JSON. */
export async function operator(server, method, path, body) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, JSON.stringify(json));
  return json;
}

/** Headless Debian Chromium with the flags this machine needs (no background networking). */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/**
 * A second origin for host pages: a plain node:http server on 127.0.0.1:0 answering
 * `routes[path]` (path without query) with `{ body, headers }` — HTML unless `headers` says
 * otherwise — and 404 for anything else. Pages served here are on another origin (port) than
 * the Anlaufstelle server, as on a real portal. `routes` stays live: tests may add paths later.
 */
export async function startHostServer(routes = {}) {
  const { createServer } = await import("node:http");
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://host.invalid").pathname;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...(route.headers ?? {}),
    });
    response.end(route.body ?? "");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    routes,
    /** Registers `body` (and response headers) at `path`; returns the page's full URL. */
    serve(path, body, headers = {}) {
      routes[path] = { body, headers };
      return `${url}${path}`;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A `http://127.0.0.1:<port>` URL on which nothing listens (the port was just free). */
export async function unusedUrl() {
  const { createServer } = await import("node:net");
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The demo form's first-level contact (Elterngeld in Stadt Bremen) as the sample data names it. */
export const BREMEN_CONTACT = "Behördennummer 115 – Bürgertelefon Bremen";

/**
 * Waits until `scope` (the widget or a frame) shows the contact named `name` from the server's
 * answer, and asserts the built-in offline fallback is absent. Waiting for "Behördennummer 115"
 * or `.as-name` would not do: the fallback shows those too, so a test would pass with the server
 * never reached.
 */
export async function realContact(scope, name = BREMEN_CONTACT) {
  await scope.getByRole("heading", { name, exact: true }).first().waitFor();
  assert.equal(await scope.locator(".as-fallback").count(), 0, "the server's contact, not the offline fallback");
}
