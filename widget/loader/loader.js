// Anlaufstelle loader: the one script a portal embeds.
//
//   <script src="https://…/widget/v1/anlaufstelle.js" data-ars="…" data-leika="…" async></script>
//
// It defines the custom element <anlaufstelle-hilfe> (for single-page apps, which may add and
// remove it at any time) and puts one such element next to its own script tag, or into every
// element matched by data-target. Each element is an independent instance with an open shadow
// root and the widget's stylesheet adopted there; the WebAssembly widget is fetched from next
// to this script once the first instance needs it (a launcher: when it is opened). Nothing is
// added to the host page's styles, no global is patched; the one global this script defines is
// the documented command queue `window.anlaufstelle`. If the widget cannot load, a built-in
// fallback (Behördennummer 115 and the alternative the host configured) is shown after at most
// 3 seconds instead of an empty box.
//
// esbuild bundles this file with the wasm-bindgen glue into one IIFE; `__WASM_FILE__` and
// `__WASM_INTEGRITY__` (the wasm's fingerprinted name and SRI hash) and `__TEXT_FILES__`
// ({ en: [name, SRI hash], easy: […] }, the text tables the wasm does not carry) are replaced
// at build time.
import init, { mount } from "widget-pkg";
import css from "widget-css"; // widget/src/widget.css, minified by the build
import { TEXTS, pickLang } from "./texts.js";

const TAG = "anlaufstelle-hilfe";
// The promise to the citizen: help (the contacts, or the built-in fallback) within 3 s.
const FALLBACK_MS = 3000;
const MSG = "anlaufstelle";
const script = document.currentScript;
// The directory this script was served from: /widget/<version>/ on the Anlaufstelle server.
const base = new URL(".", script ? script.src : document.baseURI);
const apiBase = new URL("../../", base).href;

let wasm;
let sheet;
// The wasm module is loaded once per page and only when an instance needs it. Its integrity is
// checked against the hash built into this file, so SRI on the script tag covers the wasm too.
function loadWasm() {
  wasm ??= init({
    module_or_path: fetch(new URL(__WASM_FILE__, base), { integrity: __WASM_INTEGRITY__ }),
  });
  return wasm;
}

// The host page paints first: the widget's downloads and its work start once the browser has
// reported the page's first paint (at once when it has already), so they never delay what the
// citizen sees of the page itself. Without that report (a background tab gets no frames, a
// browser without paint timing) after half a second.
let painted;
function afterFirstPaint() {
  return (painted ??= new Promise((resolve) => {
    setTimeout(resolve, 500);
    try {
      new PerformanceObserver((_, observer) => {
        observer.disconnect();
        resolve();
      }).observe({ type: "paint", buffered: true });
    } catch {
      resolve();
    }
  }));
}

// The English or Leichte Sprache table, fetched once per page and only for a page in that
// language (the wasm carries only German). `undefined` if it cannot be had: the widget then
// speaks German.
const tables = {};
function loadTexts(lang) {
  const file = __TEXT_FILES__[lang];
  return file
    ? (tables[lang] ??= fetch(new URL(file[0], base), { integrity: file[1] })
        .then((response) => (response.ok ? response.json() : undefined))
        .catch(() => undefined))
    : undefined;
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}

// The `lang` attribute for a language tag: Leichte Sprache is German.
const htmlLang = (tag) => (pickLang(tag) === "en" ? "en" : "de");

// The widget's frame as the loader builds it before (or without) the wasm: heading + content.
function panel(t, ...content) {
  const section = el("section", "as-widget");
  section.setAttribute("aria-label", t.t);
  section.append(el("h2", "as-title", t.t), ...content);
  return section;
}

class AnlaufstelleHilfe extends HTMLElement {
  static observedAttributes = ["ars"];

  // Settings: the element's own attributes, which the loader fills from the script's data-*.
  get #mode() {
    return this.getAttribute("mode") || "inline";
  }
  get #texts() {
    return TEXTS[pickLang(this.#lang)];
  }
  get #lang() {
    return this.getAttribute("lang") || document.documentElement.lang || "de";
  }

  connectedCallback() {
    // Moving the element around the page must not restart it.
    if (this.#root) return;
    const shadow = this.shadowRoot || this.attachShadow({ mode: "open" });
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    shadow.adoptedStyleSheets = [sheet];
    const texts = this.#texts;
    const mode = this.#mode;
    if (mode === "launcher") {
      this.#buildLauncher(shadow, texts);
    } else {
      this.#root = el("div");
      this.#root.lang = htmlLang(this.#lang);
      shadow.replaceChildren(this.#root);
      if (mode === "iframe") this.#startFrame(texts);
      else this.#whenNear(() => this.#start());
    }
  }

  // Like <img loading="lazy">: an instance away from the visible part of the page (more than
  // half a screen) costs the page nothing — no wasm, no request — until the citizen scrolls
  // towards it, so it cannot slow the page down while it loads; half a screen ahead gives it
  // the time it needs to be ready when it comes into view. `loading="eager"`
  // (data-loading on the script tag) starts it at once, e.g. for a host that needs its events.
  #whenNear(start) {
    if (this.getAttribute("loading") === "eager" || typeof IntersectionObserver !== "function") {
      start();
      return;
    }
    // Until then the box shows the loading state, so it has its size and its heading.
    if (this.#mode !== "banner") this.#root.replaceChildren(panel(this.#texts, this.#loadingStatus()));
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.#stopWaiting();
        start();
      },
      { rootMargin: "50% 0px" },
    );
    observer.observe(this);
    this.#stopWaiting = () => {
      observer.disconnect();
      this.#stopWaiting = () => {};
    };
  }
  #stopWaiting = () => {};

  #loadingStatus() {
    const status = el("p", "as-status", this.#texts.ld);
    status.setAttribute("role", "status");
    return status;
  }

  disconnectedCallback() {
    // A single-page app removed the element: stop streams and timers. (Re-adding it starts a
    // new instance.) Checked after the current task, so moving the element is not removing it.
    queueMicrotask(() => {
      if (this.isConnected) return;
      clearTimeout(this.#timer);
      this.#stopWaiting();
      this.#handle?.unmount();
      this.#frame?.remove();
      removeEventListener("message", this.#onMessage);
      this.#handle = this.#frame = this.#root = this.#dialog = undefined;
      this.#started = this.#frameReady = false;
      this.shadowRoot.replaceChildren();
    });
  }

  attributeChangedCallback(name, old, value) {
    if (old !== value) {
      this.#handle?.setRegion(value || "");
      this.#post("setRegion", value || "");
    }
  }

  // ---- JS API ----

  /** Opens the launcher's dialog; other modes scroll the widget into view. */
  open() {
    if (this.#dialog) {
      if (!this.#dialog.open) {
        this.#dialog.showModal();
        if (!this.#started) this.#start();
        this.#emit("opened");
      }
    } else {
      this.scrollIntoView({ block: "nearest" });
      this.#emit("opened");
    }
  }

  /** Closes the launcher's dialog; focus returns to the launcher button. */
  close() {
    if (this.#dialog?.open) this.#dialog.close();
  }

  /** Shows the help for another region (ARS); an empty value lets the citizen pick. */
  setRegion(ars) {
    this.setAttribute("ars", ars || "");
  }

  /** Context the contact form sends along, e.g. `{ formStep: "Schritt 2", errorCode: "E-4711" }`. */
  setContext(context) {
    for (const key of ["formStep", "errorCode"]) {
      if (context && key in context) {
        if (context[key]) this.dataset[key] = context[key];
        else delete this.dataset[key];
      }
    }
    this.#post("setContext", { ...this.dataset });
  }

  // ---- internals ----

  #root;
  #handle;
  #timer;
  #started = false;
  #dialog;
  #frame;
  #frameReady = false;

  #emit(name, detail = {}) {
    this.dispatchEvent(new CustomEvent(`${MSG}:${name}`, { detail, bubbles: true, composed: true }));
  }

  #start() {
    this.#started = true;
    const root = this.#root;
    // Until the widget is there: its heading and a loading status, not an empty box (a lazy
    // instance shows them already).
    if (this.#mode !== "banner" && !root.firstChild) root.append(panel(this.#texts, this.#loadingStatus()));
    // Never an empty box: the built-in fallback shows if the widget is not there in 3 s; a late
    // widget still replaces it. One deadline for the whole instance: the widget gets what is
    // left of it for its first answer, so a slow wasm and a hanging API do not add up.
    const deadline = performance.now() + FALLBACK_MS;
    this.#timer = setTimeout(() => this.#fallback(), FALLBACK_MS);
    const lang = this.#lang;
    afterFirstPaint()
      .then(() => Promise.all([loadWasm(), loadTexts(pickLang(lang))]))
      // The first render in a task of its own, not in the one that instantiated the wasm: two
      // short tasks instead of one long one, so the page answers the citizen's input in between.
      .then(([, texts]) => new Promise((resolve) => setTimeout(() => resolve(texts))))
      .then((texts) => {
        clearTimeout(this.#timer);
        if (this.#root !== root) return; // removed while loading
        root.replaceChildren();
        const mode = this.#mode === "banner" ? "banner" : "inline";
        this.#handle = mount(root, apiBase, this.getAttribute("ars") || "", this.getAttribute("leika") || "", mode, lang, texts, deadline - performance.now());
        this.#emit("ready", { mode: this.#mode });
      })
      .catch(() => {
        clearTimeout(this.#timer);
        if (this.#root === root) this.#fallback();
      });
  }

  #buildLauncher(shadow, texts) {
    const button = el("button", "as-launcher", texts.btn);
    button.type = "button";
    button.setAttribute("aria-haspopup", "dialog");
    const dialog = el("dialog", "as-dialog");
    dialog.setAttribute("aria-label", texts.t);
    const close = el("button", "as-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", texts.x);
    this.#root = el("div");
    this.#root.lang = htmlLang(this.#lang);
    // The close button sits in a bar that stays at the top while the panel scrolls.
    const bar = el("div", "as-dialog-bar");
    bar.append(close);
    dialog.append(bar, this.#root);
    shadow.replaceChildren(button, dialog);
    this.#dialog = dialog;

    button.addEventListener("click", () => this.open());
    close.addEventListener("click", () => this.close());
    // Escape closes (the browser fires `cancel`); focus goes back to the launcher button.
    dialog.addEventListener("close", () => {
      button.focus();
      this.#emit("closed");
    });
    // A click on the backdrop (outside the panel) closes as well.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) {
        const r = dialog.getBoundingClientRect();
        const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
        if (!inside) this.close();
      }
    });
    // Keep Tab inside the dialog: from the last control to the first and back.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const items = [...dialog.querySelectorAll("a[href], button, input, textarea, select, summary, [tabindex]")].filter(
        (node) => node.tabIndex >= 0 && !node.disabled && node.getClientRects().length > 0,
      );
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      const active = shadow.activeElement;
      if (event.shiftKey && (active === first || !dialog.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  // iframe mode: the widget runs in a page of the Anlaufstelle origin, so the host's CSP needs
  // neither 'wasm-unsafe-eval' nor connect-src for it. The frame reports its height and events.
  #startFrame(texts) {
    const params = new URLSearchParams({ lang: this.#lang });
    for (const key of ["ars", "leika"]) {
      const value = this.getAttribute(key);
      if (value) params.set(key, value);
    }
    for (const [key, value] of Object.entries(this.dataset)) params.set(key, value);
    // The one origin the frame may talk to (see frameMain).
    params.set("origin", location.origin);
    const frame = el("iframe", "as-frame");
    frame.title = texts.fr;
    // Shown once the widget inside reports ready; until then the loader's fallback may show.
    frame.hidden = true;
    frame.src = new URL(`frame.html?${params}`, base).href;
    this.#frame = frame;
    this.#root.append(frame);
    this.#onMessage = (event) => {
      if (event.source !== frame.contentWindow || event.origin !== base.origin) return;
      const data = event.data;
      if (!data || data[MSG] === undefined) return;
      if (data[MSG] === "height") {
        // The page's own layout decides; the frame grows with its content.
        frame.height = Math.ceil(data.height);
      } else if (data[MSG] === "event") {
        let detail = data.detail;
        if (data.name === "ready") {
          this.#frameReady = true;
          clearTimeout(this.#timer);
          // Drop the fallback, never the frame: re-inserting an iframe reloads it.
          for (const node of [...this.#root.childNodes]) if (node !== frame) node.remove();
          frame.hidden = false;
          detail = { mode: "iframe" };
        }
        this.#emit(data.name, detail);
      }
    };
    addEventListener("message", this.#onMessage);
    this.#timer = setTimeout(() => {
      if (!this.#frameReady) this.#fallback();
    }, FALLBACK_MS);
  }

  #onMessage;

  #post(command, value) {
    this.#frame?.contentWindow?.postMessage({ [MSG]: "command", command, value }, base.origin);
  }

  // The same content the widget shows when its server is unreachable, built without the widget.
  #fallback() {
    const t = this.#texts;
    const channels = (items) => {
      const list = el("ul", "as-channels");
      for (const [label, text, href] of items) {
        const item = el("li");
        const link = el("a", "as-link", text);
        link.href = href;
        item.append(el("span", "as-kind", label), link);
        list.append(item);
      }
      return list;
    };
    const abbr = el("abbr", "", t.dy);
    abbr.title = t.dl;
    const dt = el("dt");
    dt.append(abbr);
    const dl = el("dl");
    dl.append(dt, el("dd", "", t.hr));
    const hours = el("div", "as-hours");
    hours.append(el("h4", "as-subtitle", t.hh), dl);
    const contact = el("div", "as-contact as-fallback");
    const status = el("p", "as-status", t.st);
    status.setAttribute("role", "status");
    contact.append(status, el("h3", "as-name", t.nm), channels([[t.ph, "115", "tel:115"]]), hours);

    // The alternative the host configured (data-fallback-name, -phone, -email, -url).
    const d = this.dataset;
    const alt = [];
    if (d.fallbackPhone) alt.push([t.ph, d.fallbackPhone, `tel:${d.fallbackPhone.replace(/[^\d+]/g, "")}`]);
    if (d.fallbackEmail) alt.push([t.em, d.fallbackEmail, `mailto:${d.fallbackEmail}`]);
    if (d.fallbackUrl) alt.push([t.web, d.fallbackUrl, d.fallbackUrl]);
    if (alt.length) {
      const box = el("div", "as-alternatives");
      box.append(el("p", "as-subtitle", t.alt));
      if (d.fallbackName) box.append(el("h3", "as-name", d.fallbackName));
      box.append(channels(alt));
      contact.append(box);
    }
    const section = panel(t, contact);
    // In iframe mode the (still loading) frame stays where it is, behind the fallback.
    if (this.#frame) this.#root?.prepend(section);
    else this.#root?.replaceChildren(section);
  }
}

// Several copies of this script on one page share the first definition.
if (!customElements.get(TAG)) customElements.define(TAG, AnlaufstelleHilfe);

// ---- the command queue: window.anlaufstelle ----
// A host may queue commands before this script has loaded:
//   (window.anlaufstelle = window.anlaufstelle || []).push(["setContext", { errorCode: "E-4711" }]);
// Commands: ["open"], ["close"], ["setRegion", ars], ["setContext", {formStep, errorCode}], each
// with an optional last argument, a CSS selector for the instance(s); default: all of them.
function run([command, value, selector]) {
  if (command === "open" || command === "close") selector = value;
  const instances = document.querySelectorAll(typeof selector === "string" ? selector : TAG);
  for (const instance of instances) {
    if (instance instanceof HTMLElement && typeof instance[command] === "function") instance[command](value);
  }
}
const queued = window.anlaufstelle;
if (!queued || Array.isArray(queued)) {
  window.anlaufstelle = { push: (...commands) => commands.forEach(run) };
}

if (script?.hasAttribute("data-frame")) {
  frameMain();
} else if (script && script.dataset.mount !== "manual") {
  placeInstances(script);
}
// Run what was queued once the instances exist.
if (Array.isArray(queued)) queued.forEach(run);

// One instance per script tag, or one in every element data-target matches.
function placeInstances(script) {
  const data = script.dataset;
  const make = () => {
    const host = document.createElement(TAG);
    for (const [key, value] of Object.entries(data)) {
      if (key === "target" || key === "mount") continue;
      if (["ars", "leika", "lang", "mode", "theme", "loading"].includes(key)) host.setAttribute(key, value);
      else host.dataset[key] = value; // formStep, errorCode, fallback*
    }
    return host;
  };
  const targets = data.target ? document.querySelectorAll(data.target) : [];
  if (targets.length) {
    for (const target of targets) target.append(make());
  } else if (script.parentElement && script.parentElement !== document.head) {
    script.after(make());
  } else {
    document.body.append(make());
  }
}

// Inside the iframe page (frame.html): configuration comes from the query string; height and
// events go to the embedding page, commands come from it.
function frameMain() {
  const params = new URLSearchParams(location.search);
  const host = document.createElement(TAG);
  // The embedding page decided when to load the frame.
  host.setAttribute("loading", "eager");
  for (const [key, value] of params) {
    if (["ars", "leika", "lang"].includes(key)) host.setAttribute(key, value);
    else if (/^(formStep|errorCode|fallback\w+)$/.test(key)) host.dataset[key] = value;
  }
  const page = new CSSStyleSheet();
  page.replaceSync("body{margin:0}");
  document.adoptedStyleSheets = [page];
  document.documentElement.lang = htmlLang(host.getAttribute("lang"));
  // Height and events (a sent message's reference among them) go to the embedding page's origin
  // only, never to "*". The loader names it (`origin`): that works in every browser and under any
  // Referrer-Policy, and it cannot widen who hears the frame, because the browser delivers a
  // message only if the parent really has the origin named — a wrong or forged value leaves the
  // frame silent. Which pages may frame it at all, `frame-ancestors` (--allowed-origins) decides.
  // A bare <iframe> without `origin` takes the parent's origin as the browser reports it
  // (`location.ancestorOrigins`, Chromium and Safari) or the referrer's; without either, silence.
  let target;
  try {
    target = new URL(params.get("origin") || location.ancestorOrigins?.[0] || document.referrer).origin;
  } catch {}
  const tell = (message) => target && parent.postMessage({ [MSG]: message.type, ...message }, target);
  for (const name of ["ready", "opened", "closed", "message-sent", "notice-changed"]) {
    host.addEventListener(`${MSG}:${name}`, (event) => tell({ type: "event", name, detail: event.detail }));
  }
  new ResizeObserver(() => tell({ type: "height", height: document.documentElement.scrollHeight })).observe(document.body);
  addEventListener("message", (event) => {
    const data = event.data;
    if (event.source !== parent || !data || data[MSG] !== "command") return;
    if (data.command === "setRegion") host.setRegion(data.value);
    if (data.command === "setContext") host.setContext(data.value);
  });
  document.body.append(host);
}
