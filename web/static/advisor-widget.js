/* Widget: <career-advisor>, the advisor's cited answers on any site from one <script defer> tag.
   Plain JS, no dependencies. Safe on a stranger's page: Shadow DOM, DOM APIs and textContent only,
   links only http(s), no cookies, nothing global but the element. Options: see /embed on the advisor.
   With an answer's `answer_id` (the advisor records insights) it reports which result was followed and
   the visitor's thumbs up or down to POST /api/v1/events: nothing else, and nothing about the visitor. */
(() => {
  "use strict";
  const TAG = "career-advisor";
  if (!window.customElements || customElements.get(TAG)) return;

  // The advisor that served this script: the default endpoint (its /widget/ folder's parent).
  const HOME = (() => {
    try {
      return new URL("..", document.currentScript.src).href;
    } catch {
      return "";
    }
  })();

  const STRINGS = {
    title: "Ask the career guide",
    placeholder: "Ask a question, e.g. what should I learn first?",
    trigger: "Ask the guide",
    close: "Close",
    hint: "Answers appear as you type.",
    loading: "Searching the guide…",
    results: "{count} sections from the guide",
    result: "1 section from the guide",
    noResults: "The guide has nothing on that. Try other words.",
    notAnswered: "The guide doesn't answer that directly. The closest sections:",
    nextStep: "Next step in the guide",
    next: "Next step",
    examples: "Try asking",
    recent: "Your recent questions",
    clearRecent: "Clear",
    seeAll: "See all results",
    offline: "You seem to be offline. Check your connection and try again.",
    unreachable: "Can't reach the advisor right now. Please try again.",
    rateLimited: "Too many questions in a short time. Wait a moment and try again.",
    serverError: "The advisor is having trouble. Please try again later.",
    invalid: "{message}",
    retry: "Try again",
    footer: "Answers are quoted word for word from the guide.",
    keys: "↑ ↓ choose · Enter open · Esc close",
    voteUp: "Helpful",
    voteDown: "Not helpful",
    why: "What was missing? (optional)",
    send: "Send",
    thanks: "Thanks for your feedback!",
  };
  const TIMEOUT_MS = 15000;
  const ENDINGS = "s|es|e|ed|d|ing|ings|er|ers|ment|ments|ion|ions|al|ly";
  const CACHE_SIZE = 30;
  const ICONS = {
    search: "M10.5 3a7.5 7.5 0 0 1 5.9 12.1l4.3 4.3-1.4 1.4-4.3-4.3A7.5 7.5 0 1 1 10.5 3zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11z",
    close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    thumb: "M2 10h4v11H2zm6 0 3.6-6.3a1.5 1.5 0 0 1 2.8 1L13.6 10H20a2 2 0 0 1 2 2.3l-1.3 7a2 2 0 0 1-2 1.7H8z",
  };

  const LIGHT =
    "--_bg:#fff;--_fg:#1b1f24;--_muted:#57606a;--_line:#c9d1d9;--_accent:#0b57d0;--_hover:#eef3fd;" +
    "--_mark:#fff1a6;--_err:#b3261e;--_shadow:0 12px 40px rgb(15 23 42/.25);color-scheme:light";
  const DARK =
    "--_bg:#161a1f;--_fg:#e6e9ed;--_muted:#9ba6b2;--_line:#3b434c;--_accent:#8ab4f8;--_hover:#222a35;" +
    "--_mark:#5b4a00;--_err:#f2b8b5;--_shadow:0 12px 40px rgb(0 0 0/.6);color-scheme:dark";
  const v = (name) => `var(--ca-${name},var(--_${name}))`;
  const SPACE = "var(--ca-space,16px)";
  const RADIUS = "var(--ca-radius,12px)";
  const CSS = `
:host{all:initial;${LIGHT};display:block;color:${v("fg")};font:var(--ca-font-size,16px)/1.5 var(--ca-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);text-align:start;text-transform:none;letter-spacing:normal;word-spacing:normal;white-space:normal;font-style:normal;font-weight:400}
:host([theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host([theme=auto]){${DARK}}}
:host([layout=modal]){display:inline-block}
:host([hidden]){display:none}
*{box-sizing:border-box}
.box{background:${v("bg")};color:${v("fg")};border:1px solid ${v("line")};border-radius:${RADIUS};padding:${SPACE};display:flex;flex-direction:column;gap:calc(${SPACE}*.5);text-align:start}
.head{display:flex;align-items:center;gap:8px}
label{font-weight:600;flex:1}
.field{display:flex;align-items:center;gap:8px;border:1px solid ${v("line")};border-radius:calc(${RADIUS}*.67);padding:0 12px;background:${v("bg")}}
.field:focus-within{border-color:${v("accent")};outline:2px solid ${v("accent")};outline-offset:1px}
svg{width:1.15em;height:1.15em;flex:none;fill:currentColor}
.field svg{color:${v("muted")}}
input{flex:1;min-width:0;border:0;margin:0;background:none;color:inherit;font:inherit;font-size:max(16px,1em);padding:10px 0;outline:0;letter-spacing:inherit;text-transform:none}
input::placeholder{color:${v("muted")};opacity:1}
.spin{width:1em;height:1em;border:2px solid ${v("line")};border-top-color:${v("accent")};border-radius:50%;visibility:hidden;flex:none}
.field[data-busy] .spin{visibility:visible;animation:r .8s linear infinite}
@keyframes r{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.field[data-busy] .spin{animation-duration:3s}}
.status{margin:0;font-size:.875em;color:${v("muted")};display:flex;flex-wrap:wrap;align-items:center;gap:8px;min-height:1.5em}
.status[data-kind=error]{color:${v("err")}}
button{font:inherit;color:inherit;cursor:pointer;margin:0;text-transform:none;letter-spacing:inherit}
button:focus-visible,.option:focus-visible{outline:2px solid ${v("accent")};outline-offset:2px}
.retry{background:none;border:1px solid currentColor;border-radius:999px;padding:2px 12px}
.close{background:none;border:0;border-radius:8px;padding:6px;display:flex;color:${v("muted")}}
.close:hover{background:${v("hover")};color:${v("fg")}}
.list{display:flex;flex-direction:column;gap:4px;margin:0 calc(${SPACE}*-.5)}
.list[hidden]{display:none}
[aria-busy=true]+.list{opacity:.6}
.row{display:flex;flex-wrap:wrap;align-items:flex-start}
.row>.option{flex:1;min-width:0}
.votes{display:flex;align-items:center;padding-top:4px;color:${v("muted")}}
.votes>span{font-size:.8em;padding:6px;max-width:9em;text-align:end}
.vote{background:none;border:0;border-radius:8px;padding:6px;display:flex;color:inherit}
.vote:hover{background:${v("hover")};color:${v("fg")}}
.down svg{transform:rotate(180deg)}
.why{flex-basis:100%;display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;padding:0 12px 8px;font-size:.875em;color:${v("muted")}}
.why label{font:inherit;flex:none}
.why input{flex:1 1 10em;border:1px solid ${v("line")};border-radius:8px;padding:6px 8px;color:inherit;background:${v("bg")};font:inherit;font-size:16px}
.why input:focus-visible{outline:2px solid ${v("accent")};outline-offset:1px}
[role=group]{display:contents}
.glabel{margin:8px 12px 0;font-size:.75em;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:${v("muted")}}
.option{display:block;padding:10px 12px;border-radius:calc(${RADIUS}*.67);border:1px solid transparent;color:inherit;text-decoration:none;cursor:pointer}
.option:hover{background:${v("hover")}}
.option[aria-selected=true]{background:${v("hover")};border-color:${v("accent")};box-shadow:inset 3px 0 0 ${v("accent")}}
.crumb{display:block;font-size:.78em;color:${v("muted")};white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.heading{display:block;font-weight:600;color:${v("accent")};overflow-wrap:anywhere}
.closest .heading{color:inherit}
.excerpt{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:var(--ca-excerpt-lines,3);overflow:hidden;font-size:.9em;margin-top:2px;overflow-wrap:anywhere}
mark{background:none;color:inherit}
.term{font-weight:700}
.hl{background:${v("mark")};border-radius:3px;padding:0 2px;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.foot{margin:0;display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 16px;font-size:.75em;color:${v("muted")};border-top:1px solid ${v("line")};padding-top:calc(${SPACE}*.5)}
@media (hover:none){.keys{display:none}}
.trigger{display:inline-flex;align-items:center;gap:8px;background:${v("bg")};border:1px solid ${v("line")};border-radius:999px;padding:6px 8px 6px 14px;min-height:40px}
.trigger:hover{border-color:${v("accent")}}
.trigger:focus-visible{outline:2px solid ${v("accent")};outline-offset:2px}
kbd{font:inherit;font-size:.75em;border:1px solid ${v("line")};border-radius:6px;padding:0 6px;color:${v("muted")}}
dialog{padding:0;border:0;background:none;color:inherit;width:min(672px,calc(100vw - 16px));max-width:none;max-height:min(704px,calc(100dvh - min(8vh,64px) - 8px));margin:min(8vh,64px) auto 0;overflow:visible}
dialog::backdrop{background:rgb(10 15 25/.55)}
dialog .box{max-height:inherit;box-shadow:var(--ca-shadow,var(--_shadow))}
dialog .list{overflow:auto;min-height:0;flex:0 1 auto;padding:2px calc(${SPACE}*.5)}
.list.inline{max-height:min(560px,70vh);overflow:auto;overscroll-behavior:contain;padding:2px calc(${SPACE}*.5)}
.group{display:flex;flex-direction:column;gap:4px}
.badge{display:inline-block;margin-inline-end:6px;padding:0 8px;border-radius:999px;background:${v("accent")};color:${v("bg")};font-size:12px;font-weight:700;vertical-align:1px}
.suggestion{padding:8px 12px}
.suggestion .heading{color:inherit;font-weight:400}
.glabel .clear{float:inline-end;background:none;border:0;padding:0 4px;font-size:12px;font-weight:600;letter-spacing:normal;text-transform:none;color:${v("accent")};text-decoration:underline}
.all{color:${v("accent")};margin-inline-start:auto}
.all[hidden]{display:none}
@media (pointer:coarse){.vote,.close{min-width:44px;min-height:44px;justify-content:center;align-items:center}
.retry,.glabel .clear,.all,.why button{min-height:44px;display:inline-flex;align-items:center}
.option{min-height:44px}}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (forced-colors:active){.option[aria-selected=true]{outline:2px solid Highlight}}
`;
  let sheet = null;
  let uid = 0;

  // --- small pure helpers ---------------------------------------------------------------------
  const h = (tag, props, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, val] of Object.entries(props || {})) {
      if (val == null || val === false) continue;
      if (k === "text") el.textContent = val;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), val);
      else el.setAttribute(k, val === true ? "" : String(val));
    }
    el.append(...kids.filter((kid) => kid instanceof Node || (typeof kid === "string" && kid !== "")));
    return el;
  };
  const icon = (name) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  };
  const clean = (s) => (typeof s === "string" ? s.replace(/\s+/g, " ").trim() : "");
  // What the guide page shows of a passage's line: no markdown list marker ("- ", "1. "), which the page
  // renders as a bullet or a number and a text fragment would never find. (The API strips the rest.)
  const LIST_MARKER = /^(?:[-*+•]\s+|\d{1,3}[.)]\s+)/;
  const plain = (s) => clean(s).replace(LIST_MARKER, "").trim();
  const MIN_WORDS = 3; // a highlight shorter than this ("3.", "Yes.") answers nothing
  const list = (x) => (Array.isArray(x) ? x.filter((r) => r && typeof r === "object") : []);
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  const intAttr = (el, name, fallback, lo, hi) => {
    const n = Number.parseInt(el.getAttribute(name) ?? "", 10);
    return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
  };

  // A URL only if it is http(s): `javascript:`, `data:` and the like never become links.
  const safeURL = (value, base) => {
    try {
      const url = new URL(value, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch {
      return null;
    }
  };

  // The question's matched words as whole words, with common English endings: "learn" marks "learning",
  // "database" marks "databases"; a short word only marks itself ("do" never marks "document").
  const termPattern = (terms) => {
    const alternatives = terms
      .filter((t) => typeof t === "string" && t.length > 1)
      .map((t) => t.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .map((t) => (t.length > 3 ? `${t.replace(/(ing|ed|es|s|e)$/, "")}(?:${ENDINGS})?` : t));
    if (!alternatives.length) return null;
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "giu");
  };
  const marked = (text, re) => {
    if (!re) return [text];
    const out = [];
    let last = 0;
    for (const m of text.matchAll(re)) {
      out.push(text.slice(last, m.index), h("mark", { part: "term", class: "term" }, m[0]));
      last = m.index + m[0].length;
    }
    out.push(text.slice(last));
    return out;
  };

  // The highlight sentences of a result (a later API adds them), tolerant of their exact shape.
  const highlights = (r, text) => {
    const out = [];
    for (const x of list(r.highlights)) {
      const start = Array.isArray(x) ? x[0] : (x.start ?? x.span?.[0]);
      const end = Array.isArray(x) ? x[1] : (x.end ?? x.span?.[1]);
      const ok = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.length;
      const sentence = plain(ok ? text.slice(start, end) : x.text);
      if (sentence.split(" ").length >= MIN_WORDS && !out.includes(sentence)) out.push(sentence);
    }
    return out.slice(0, 3);
  };

  // The passage from the stretch that matched best (the API's `why.window`), near its first matched word.
  const windowText = (r, text, re) => {
    const w = r.why && Array.isArray(r.why.window) ? r.why.window : [0];
    let start = Number.isInteger(w[0]) ? Math.min(Math.max(w[0], 0), text.length) : 0;
    let part = text.slice(start, start + 600);
    const first = re ? part.search(re) : -1;
    const cut = first > 160 ? part.lastIndexOf(". ", first) : -1;
    if (cut > 0) [part, start] = [part.slice(cut + 2), start + cut + 2];
    part = clean(part);
    if (part.length > 360) part = `${part.slice(0, part.lastIndexOf(" ", 360))} …`;
    else if (start + 600 < text.length) part += " …";
    return (start > 0 ? "… " : "") + part;
  };

  // A text fragment (#:~:text=) that makes the browser scroll to and mark the sentence.
  // A table row (" | ") spans cells, which a fragment never matches: it gets none.
  const textFragment = (sentence) => {
    sentence = plain(sentence);
    if (!sentence || sentence.includes(" | ")) return "";
    const enc = (s) => encodeURIComponent(s).replace(/-/g, "%2D");
    const words = sentence.split(" ");
    if (words.length <= 10) return enc(sentence);
    return `${enc(words.slice(0, 5).join(" "))},${enc(words.slice(-5).join(" "))}`;
  };

  // --- the element ----------------------------------------------------------------------------
  class CareerAdvisor extends HTMLElement {
    static get observedAttributes() {
      return ["layout", "strings", "shortcut"];
    }

    static get defaults() {
      return { ...STRINGS };
    }

    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      if ("adoptedStyleSheets" in this.shadowRoot && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        sheet = sheet || new CSSStyleSheet();
        if (!sheet.cssRules.length) sheet.replaceSync(CSS);
        this.shadowRoot.adoptedStyleSheets = [sheet];
      } else {
        this.shadowRoot.append(h("style", { text: CSS }));
      }
      this.id_ = `ca${++uid}`;
      this.seq = 0;
      this.cache = new Map();
      this.options = [];
      this.owned = [];
      this.voted = new Set();
      this.active = -1;
      this.extra = {};
      this.onDocKey = this.onDocKey.bind(this);
      // Inline, the results fold away when focus leaves the widget, so they never keep pushing the host
      // page down; focusing the box again shows them.
      this.shadowRoot.addEventListener("focusout", (e) => {
        if (!this.shadowRoot.contains(e.relatedTarget)) this.leave();
      });
      this.shadowRoot.addEventListener("focusin", (e) => {
        if (this.data && !this.shadowRoot.contains(e.relatedTarget)) this.expand(true);
      });
    }

    get strings() {
      let fromAttr = {};
      try {
        const parsed = JSON.parse(this.getAttribute("strings") || "{}");
        if (parsed && typeof parsed === "object") fromAttr = parsed;
      } catch {
        /* an unreadable attribute leaves the defaults */
      }
      const all = { ...STRINGS };
      for (const src of [fromAttr, this.extra]) {
        for (const key of Object.keys(STRINGS)) if (typeof src[key] === "string") all[key] = src[key];
      }
      return all;
    }

    set strings(value) {
      this.extra = value && typeof value === "object" ? { ...value } : {};
      if (this.built) this.build();
    }

    get modal() {
      return this.getAttribute("layout") === "modal";
    }

    get endpoint() {
      const value = this.getAttribute("endpoint") || HOME;
      const url = value ? safeURL(value, document.baseURI) : null;
      if (url && !url.pathname.endsWith("/")) url.pathname += "/";
      return url;
    }

    connectedCallback() {
      if (!this.built) this.build();
      document.addEventListener("keydown", this.onDocKey);
    }

    disconnectedCallback() {
      document.removeEventListener("keydown", this.onDocKey);
      this.flush();
      clearTimeout(this.timer);
      this.seq++;
      this.ctrl?.abort();
    }

    attributeChangedCallback(name, old, value) {
      if (this.built && old !== value) this.build();
    }

    // --- DOM ---
    build() {
      const S = (this.S = this.strings);
      const id = this.id_;
      const query = this.input ? this.input.value : "";
      this.built = true;
      this.dialog = this.trigger = null;
      this.input = h("input", {
        id: `${id}-input`, part: "input", type: "text", role: "combobox", autocomplete: "off",
        autocapitalize: "off", spellcheck: "false", enterkeyhint: "search", placeholder: S.placeholder,
        "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": `${id}-list`,
        "aria-describedby": `${id}-status`, autofocus: this.modal,
        oninput: () => this.onInput(), onkeydown: (e) => this.onKey(e), onfocus: () => this.onFocus(),
      });
      this.input.value = query;
      this.spinner = h("span", { class: "spin", "aria-hidden": "true" });
      this.field = h("div", { class: "field", part: "field" }, icon("search"), this.input, this.spinner);
      this.message = h("span", { part: "message" });
      this.retry = h("button", { type: "button", class: "retry", part: "retry", hidden: true, text: S.retry,
        onclick: () => this.search(this.input.value, true) });
      this.all = h("a", { class: "all", part: "see-all", hidden: true, text: S.seeAll });
      this.status = h("p", { id: `${id}-status`, class: "status", part: "status" }, this.message, this.retry, this.all);
      this.live = h("div", { class: "sr", role: "status", "aria-live": "polite", "aria-atomic": "true" });
      // The listbox owns the options (aria-owns), so that each result's vote buttons can sit beside it in
      // `list` without being inside the listbox, which may only hold options.
      this.listbox = h("div", { id: `${id}-list`, role: "listbox", class: "sr", "aria-label": S.title, hidden: true });
      const click = (e) => this.onOptionClick(e);
      this.list = h("div", { class: this.modal ? "list" : "list inline", part: "listbox", hidden: true, onclick: click,
        onauxclick: click, onkeydown: (e) => this.onVoteKey(e), onfocusin: (e) => e.target.matches("button.vote") && this.rove(e.target),
        onmousedown: (e) => e.button || e.target.closest("input") || e.preventDefault() });
      const label = h("label", { id: `${id}-label`, for: `${id}-input`, part: "label", text: S.title });
      const foot = h("p", { class: "foot", part: "footer" }, h("span", { text: S.footer }),
        h("span", { class: "keys", text: S.keys }));
      const head = h("div", { class: "head" }, label);
      const box = h("div", { class: "box", part: "box" }, head, this.field, this.status, this.listbox, this.list, foot, this.live);
      this.shadowRoot.replaceChildren(...(this.modal ? this.buildModal(box, head) : [box]));
      this.data ? this.render(this.data) : this.idle();
    }

    buildModal(box, head) {
      const S = this.S;
      const mac = /Mac|iP(hone|ad|od)/.test(navigator.platform || "");
      const keys = this.shortcuts;
      const key = keys.includes("/") ? "/" : keys.includes("mod+k") ? (mac ? "⌘K" : "Ctrl K") : "";
      const aria = [keys.includes("/") && "/", keys.includes("mod+k") && (mac ? "Meta+K" : "Control+K")];
      head.append(h("button", { type: "button", class: "close", part: "close", "aria-label": S.close,
        title: S.close, onclick: () => this.close() }, icon("close")));
      this.dialog = h("dialog", { part: "dialog", "aria-labelledby": `${this.id_}-label`,
        onclose: () => this.onClosed(), onclick: (e) => e.target === this.dialog && this.close() }, box);
      this.trigger = h("button", { type: "button", class: "trigger", part: "trigger", "aria-haspopup": "dialog",
        "aria-keyshortcuts": aria.filter(Boolean).join(" ") || null, onclick: () => this.open(this.trigger) }, icon("search"), h("span", { text: S.trigger }),
        key && h("kbd", { part: "kbd", "aria-hidden": "true", text: key }));
      return [this.trigger, this.dialog];
    }

    // --- opening and closing (modal layout) ---
    open(returnTo) {
      if (!this.modal) return this.input.focus();
      if (this.dialog.open) return;
      this.returnTo = returnTo && returnTo !== document.body ? returnTo : this.trigger;
      this.dialog.showModal();
      this.input.focus();
      this.input.select();
    }

    close() {
      if (this.dialog?.open) this.dialog.close();
    }

    onClosed() {
      const target = this.returnTo && this.returnTo.isConnected ? this.returnTo : this.trigger;
      target.focus({ preventScroll: true });
    }

    get shortcuts() {
      const value = this.getAttribute("shortcut") ?? "/ mod+k";
      return value.toLowerCase().split(/[\s,]+/);
    }

    onDocKey(e) {
      const key = typeof e.key === "string" ? e.key : "";
      if (e.defaultPrevented || e.isComposing || !this.built || !key) return;
      const keys = this.shortcuts;
      const t = e.composedPath()[0];
      const tag = (t && t.tagName) || "";
      const typing = t && (t.isContentEditable || tag === "TEXTAREA" || tag === "SELECT" ||
        (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset|range|color|file|image)$/.test(t.type)));
      const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
      const slash = key === "/" && plain && !typing && keys.includes("/");
      const modK = key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey) && !e.altKey && keys.includes("mod+k");
      if (!slash && !modK) return;
      e.preventDefault();
      if (this.dialog?.open) return modK && this.close();
      this.open(document.activeElement);
    }

    // --- typing ---
    onInput() {
      clearTimeout(this.timer);
      const q = clean(this.input.value);
      if (q.length < intAttr(this, "min-chars", 3, 1, 50)) return this.idle();
      this.timer = setTimeout(() => this.search(q), intAttr(this, "debounce", 200, 0, 2000));
    }

    onKey(e) {
      if (e.isComposing) return;
      const n = this.options.length;
      if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n) {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (this.active >= 0) this.follow(this.options[this.active], e.ctrlKey || e.metaKey || e.shiftKey);
        else this.search(this.input.value, true);
      } else if (e.key === "Escape" && !this.modal) {
        if (!this.listbox.hidden) this.expand(false);
        else if (this.input.value) (this.input.value = ""), this.idle();
        else return;
        e.preventDefault();
      }
    }

    // -1: no option is active (visual focus stays in the input); the options wrap around.
    setActive(index) {
      const next = index < this.options.length ? index : -1;
      if (next >= 0) this.expand(true);
      this.options.forEach((o, i) => o.setAttribute("aria-selected", String(i === next)));
      this.active = next;
      const el = this.options[next];
      if (el) {
        this.input.setAttribute("aria-activedescendant", el.id);
        el.scrollIntoView({ block: "nearest" });
      } else this.input.removeAttribute("aria-activedescendant");
    }

    expand(open) {
      const show = open && this.options.length > 0;
      this.list.hidden = this.listbox.hidden = !show;
      this.input.setAttribute("aria-expanded", String(show));
      if (!show) this.setActive(-1);
    }

    // Plain click: follow the link (closing the dialog first); modified and middle clicks stay native.
    // Each is reported (not a right click: that opens a menu, not the section).
    onOptionClick(e) {
      const picked = e.target.closest("[role=option][data-q]");
      if (picked && !e.button) return this.pick(picked.dataset.q);
      const a = e.target.closest("a[role=option]");
      if (!a || e.button > 1) return;
      this.clicked(a);
      if (e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      this.close();
    }

    follow(option, newTab) {
      if (option && option.dataset.q) return this.pick(option.dataset.q);
      const href = option && option.getAttribute("href");
      if (!href) return;
      this.clicked(option);
      if (newTab) return void window.open(href, "_blank", "noopener");
      this.close();
      location.assign(href);
    }

    // --- asking ---
    async search(text, now = false) {
      clearTimeout(this.timer);
      const q = clean(text);
      const endpoint = this.endpoint;
      if (!q) return this.idle();
      if (!endpoint) return this.fail(fill(this.S.invalid, { message: "endpoint must be an http(s) URL" }));
      const url = new URL("api/v1/ask", endpoint);
      url.searchParams.set("q", q);
      if (this.hasAttribute("k")) url.searchParams.set("k", String(intAttr(this, "k", 5, 1, 20)));
      const guide = this.getAttribute("guide");
      if (guide) url.searchParams.set("guide", guide);
      if (!now && url.href === this.shownURL) return this.expand(true);
      const seq = ++this.seq;
      this.ctrl?.abort();
      const hit = this.cache.get(url.href);
      if (hit) return this.render(hit, url.href), now && this.keep(q);
      const ctrl = (this.ctrl = new AbortController());
      const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
      this.busy(true);
      try {
        const res = await fetch(url, { signal: ctrl.signal, credentials: "omit", headers: { Accept: "application/json" } });
        const body = await res.json().catch(() => null);
        if (seq !== this.seq) return;
        if (res.ok && body && Array.isArray(body.results)) {
          this.remember(url.href, body);
          this.render(body, url.href);
          if (now) this.keep(q); // asked on purpose (Enter, an example): worth offering again
        } else this.fail(this.problem(res.status, body));
      } catch {
        if (seq === this.seq) this.fail(navigator.onLine === false ? this.S.offline : this.S.unreachable);
      } finally {
        clearTimeout(timer);
        if (seq === this.seq) this.busy(false);
      }
    }

    problem(status, body) {
      const S = this.S;
      const message = clean(body && body.error && body.error.message);
      if (status === 429) return S.rateLimited;
      if (status >= 400 && status < 500 && message) return fill(S.invalid, { message });
      return S.serverError;
    }

    remember(key, body) {
      this.cache.set(key, body);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value);
    }

    busy(on) {
      this.field.toggleAttribute("data-busy", on);
      this.listbox.setAttribute("aria-busy", String(on));
      if (on && !this.data) this.say(this.S.loading);
    }

    // --- states ---
    say(text, kind = "", announce = false) {
      this.message.textContent = text;
      this.status.dataset.kind = kind;
      this.retry.hidden = kind !== "error";
      if (announce) this.live.textContent = text;
    }

    idle() {
      clearTimeout(this.timer);
      this.seq++;
      this.ctrl?.abort();
      this.busy(false);
      this.data = null;
      this.shownURL = "";
      this.show([]);
      this.expand(false);
      this.seeAll(false);
      this.say(this.S.hint);
      this.live.textContent = "";
      if (this.focused && !clean(this.input.value)) this.suggest();
    }

    fail(text) {
      this.busy(false);
      this.data = null;
      this.shownURL = "";
      this.show([]);
      this.expand(false);
      this.seeAll(false);
      this.say(text, "error", true);
    }

    render(body, key = this.shownURL) {
      const S = this.S;
      this.busy(false);
      this.data = body;
      this.shownURL = key;
      const results = list(body.results);
      const answered = body.answered !== false && results.length > 0;
      const re = termPattern(results.flatMap((r) => (Array.isArray(r.why?.matched_terms) ? r.why.matched_terms : [])));
      // Clicks and votes are reported only for an answer the advisor recorded (it gave an id).
      const id = typeof body.answer_id === "string" ? body.answer_id : "";
      const ev = (r) => id && typeof r.guide === "string" && typeof r.anchor === "string" &&
        { answer_id: id, rank: results.indexOf(r) + 1, section: `${r.guide}/${r.anchor}` };
      // A next step that is also a result is shown once, as the next step (a click on it still reports
      // the result's rank). When the guide answers, the next step leads: it is what the visitor asked for.
      const same = (a, b) => typeof a.anchor === "string" && a.anchor === b.anchor && a.guide === b.guide;
      const next = list(body.next_steps).map((n) => [n, results.find((r) => same(r, n))]);
      const shown = results.filter((r) => !next.some(([n]) => same(r, n)));
      this.show([]);
      const rows = [];
      const owned = [];
      const nextGroup = () => {
        if (!next.length) return;
        const gid = `${this.id_}-next`;
        owned.push(`${gid}s`);
        rows.push(h("div", { id: `${gid}s`, role: "group", part: "group", class: "group", "aria-labelledby": gid },
          h("div", { id: gid, role: "presentation", class: "glabel", part: "group-label", text: S.nextStep }),
          ...next.map(([n, r]) => this.option(r ? { ...r, reason: n.reason } : n, { re: r ? re : null,
            next: answered, ev: r && ev(r) }))));
      };
      if (answered) nextGroup();
      for (const [label, members] of this.groups(shown)) {
        const gid = `${this.id_}-g${rows.length}`;
        const group = h("div", { class: "group", part: "group" },
          label && h("div", { id: gid, class: "glabel", part: "group-label", "aria-hidden": "true", text: label }));
        for (const r of members) {
          const e = ev(r);
          group.append(this.option(r, { re, closest: !answered, ev: e, votes: !!e }));
          owned.push(this.options[this.options.length - 1].id);
        }
        rows.push(group);
      }
      if (!answered) nextGroup();
      this.owned = owned;
      this.show(rows);
      this.rove(this.list.querySelector("button.vote"));
      const count = results.length === 1 ? S.result : fill(S.results, { count: results.length });
      const text = !results.length ? S.noResults : answered ? count : S.notAnswered;
      this.say(text, answered ? "" : "empty");
      this.seeAll(results.length > 0);
      this.live.textContent = answered || !results.length ? text : `${text} ${count}`;
      this.expand(this.modal || this.focused);
    }

    // Results under their guide and parent section, as the guide nests them; groups in the order of
    // their best result, results in rank order within a group.
    groups(results) {
      const first = this.getAttribute("guide") ? 1 : 0; // the guide's title says nothing new then
      const out = new Map();
      for (const r of results) {
        const trail = Array.isArray(r.breadcrumb) ? r.breadcrumb.slice(first, -1) : [];
        const label = trail.filter((c) => typeof c === "string").map(clean).join(" › ");
        if (!out.has(label)) out.set(label, []);
        out.get(label).push(r);
      }
      return out;
    }

    seeAll(on) {
      const endpoint = this.endpoint;
      const q = clean(this.input.value);
      this.all.hidden = !(on && endpoint && q);
      if (this.all.hidden) return this.all.removeAttribute("href");
      const url = new URL("./", endpoint);
      url.searchParams.set("q", q);
      const guide = this.getAttribute("guide");
      if (guide) url.searchParams.set("guide", guide);
      this.all.href = url.href;
    }

    get focused() {
      return this.shadowRoot.activeElement != null;
    }

    onFocus() {
      if (this.data) this.expand(true);
      else if (!clean(this.input.value)) this.suggest();
    }

    leave() {
      this.flush();
      if (this.data) this.keep(this.input.value);
      if (!this.modal) this.expand(false);
    }

    // --- before the first question: example questions and the visitor's recent ones ---
    // Recent questions stay in this browser (localStorage), per advisor; they are never sent anywhere.
    get storeKey() {
      return `career-advisor:recent:${this.endpoint?.href ?? ""}`;
    }

    recent() {
      try {
        const saved = JSON.parse(localStorage.getItem(this.storeKey) || "[]");
        return Array.isArray(saved) ? saved.filter((q) => typeof q === "string" && q).slice(0, 5) : [];
      } catch {
        return []; // storage off (a sandboxed frame, strict privacy settings): nothing remembered
      }
    }

    keep(text) {
      const q = clean(text);
      if (q.length < intAttr(this, "min-chars", 3, 1, 50) || !this.data || !list(this.data.results).length) return;
      const rest = this.recent().filter((x) => x.toLowerCase() !== q.toLowerCase());
      try {
        localStorage.setItem(this.storeKey, JSON.stringify([q, ...rest].slice(0, 5)));
      } catch {
        /* not remembered */
      }
    }

    forget() {
      try {
        localStorage.removeItem(this.storeKey);
      } catch {
        /* nothing to forget */
      }
      this.input.focus();
      this.suggest();
    }

    // Examples: the site owner's (data-examples, a JSON list or "|"-separated), else the guide's own
    // (its headings that are questions), asked once from the advisor's list of guides; from an older
    // advisor without them, the guide's main sections from its table of contents.
    async examples() {
      const own = this.getAttribute("data-examples");
      if (own) {
        let parsed = null;
        try {
          parsed = JSON.parse(own);
        } catch {
          parsed = own.split("|");
        }
        return (Array.isArray(parsed) ? parsed : []).map(clean).filter(Boolean).slice(0, 6);
      }
      if (this.headings) return this.headings;
      const endpoint = this.endpoint;
      if (!endpoint) return [];
      const get = (path) => fetch(new URL(path, endpoint), { credentials: "omit", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null));
      try {
        const chosen = this.getAttribute("guide");
        const guides = list((await get("api/v1/guides"))?.guides).filter((g) => !chosen || g.id === chosen).slice(0, 2);
        const asked = guides.flatMap((g) => (Array.isArray(g.examples) ? g.examples : []).map(clean)).filter(Boolean);
        if (asked.length) return (this.headings = asked.slice(0, 4));
        const ids = chosen ? [chosen] : guides.map((g) => g.id);
        const tocs = await Promise.all(ids.map((g) => get(`api/v1/guides/${encodeURIComponent(g)}/sections`)));
        const top = tocs.flatMap((t) => list(t?.sections).filter((x) => x.level === 2).map((x) => clean(x.heading)));
        const step = Math.max(1, Math.floor(top.length / 4));
        this.headings = top.filter((x, i) => x && i % step === 0).slice(0, 4);
      } catch {
        this.headings = [];
      }
      return this.headings;
    }

    async suggest() {
      const recent = this.recent();
      const seq = this.seq;
      const examples = await this.examples();
      if (seq !== this.seq || this.data || clean(this.input.value) || !this.focused) return;
      const S = this.S;
      const rows = [];
      const owned = [];
      const group = (label, items, tail) => {
        if (!items.length) return;
        const gid = `${this.id_}-s${rows.length}`;
        const el = h("div", { class: "group", part: "group" },
          h("div", { class: "glabel", part: "group-label" }, h("span", { id: gid, "aria-hidden": "true", text: label }), tail));
        for (const q of items) {
          const oid = `${this.id_}-o${this.options.length}`;
          const index = this.options.length;
          const option = h("div", { id: oid, role: "option", part: "option", class: "option suggestion",
            "aria-selected": "false", "aria-describedby": gid, "data-q": q }, h("span", { class: "heading", part: "heading", text: q }));
          option.addEventListener("mousemove", () => this.active !== index && this.setActive(index));
          this.options.push(option);
          owned.push(oid);
          el.append(option);
        }
        rows.push(el);
      };
      this.show([]);
      group(S.recent, recent, h("button", { type: "button", class: "clear", part: "clear", text: S.clearRecent,
        "aria-label": `${S.clearRecent}: ${S.recent}`, onclick: () => this.forget() }));
      group(S.examples, examples.filter((q) => !recent.includes(q)));
      this.owned = owned;
      this.show(rows);
      this.expand(true);
    }

    pick(q) {
      this.input.value = q;
      this.input.focus();
      this.search(q, true);
    }

    show(rows) {
      this.flush();
      if (!rows.length) [this.options, this.owned] = [[], []];
      this.list.replaceChildren(...rows);
      this.listbox.setAttribute("aria-owns", this.owned.join(" "));
    }

    option(r, { re = null, closest = false, ev = null, votes = false, next = false } = {}) {
      const S = this.S;
      const text = typeof r.text === "string" ? r.text : "";
      const sentences = highlights(r, text);
      // The guide's title says nothing new when the widget only searches that guide.
      const first = this.getAttribute("guide") ? 1 : 0;
      const trail = Array.isArray(r.breadcrumb) ? r.breadcrumb.slice(first, -1) : [];
      const crumbs = trail.filter((c) => typeof c === "string");
      const excerpt = h("span", { class: "excerpt", part: "excerpt" });
      if (sentences.length) {
        sentences.forEach((s, i) => excerpt.append(i ? " … " : "", h("mark", { class: "hl", part: "highlight" }, ...marked(s, re))));
      } else excerpt.append(...marked(windowText(r, text, re), re));
      const href = this.link(r, sentences[0]);
      const index = this.options.length;
      const oid = `${this.id_}-o${index}`;
      // The group above shows where the section sits; screen readers, moving from option to option, hear it here.
      const el = h(href ? "a" : "div", { id: oid, role: "option", part: "option",
        class: closest ? "option closest" : "option", href, tabindex: "-1", "aria-selected": "false" },
        crumbs.length > 0 && h("span", { class: "crumb sr", part: "breadcrumb", text: crumbs.join(" › ") }),
        h("span", { id: `${oid}h`, class: "heading", part: "heading" },
          next && h("span", { class: "badge", part: "badge", text: S.next }), next ? " " : "", clean(r.section) || clean(r.anchor)),
        next && typeof r.reason === "string" && h("span", { class: "crumb", part: "next-reason", text: clean(r.reason) }), excerpt);
      el.addEventListener("mousemove", () => this.active !== index && this.setActive(index));
      this.options.push(el);
      if (ev) el.ev = ev;
      if (!votes) return el;
      return h("div", { class: "row", part: "result" }, el, this.votes(ev, `${oid}h`));
    }

    // --- clicks and votes, reported to the advisor's insights ---
    // Thumbs up or down beside a result; down first asks why (optional), sent when the visitor moves on.
    votes(ev, heading) {
      const S = this.S;
      const box = h("span", { id: `${heading}v`, class: "votes", part: "vote" });
      if (this.voted.has(`${ev.answer_id} ${ev.rank}`)) box.append(h("span", { part: "thanks", text: S.thanks }));
      else box.append(...["up", "down"].map((vote) => {
        const label = vote === "up" ? S.voteUp : S.voteDown;
        return h("button", { type: "button", class: `vote ${vote}`, part: `vote-${vote}`, "aria-label": label,
          title: label, "aria-describedby": heading, tabindex: "-1", onclick: () => this.vote(box, ev, vote) }, icon("thumb"));
      }));
      return box;
    }

    // The votes are one stop in the Tab order (roving focus): the arrow keys move between them, Escape
    // goes back to the box. Tab from the box so reaches the votes once, then leaves the widget.
    rove(button) {
      for (const b of this.list.querySelectorAll("button.vote")) b.tabIndex = b === button ? 0 : -1;
    }

    onVoteKey(e) {
      const b = e.target;
      if (!b.matches || !b.matches("button.vote")) return;
      const all = [...this.list.querySelectorAll("button.vote")];
      const i = all.indexOf(b);
      const to = { ArrowRight: i + 1, ArrowDown: i + 2, ArrowLeft: i - 1, ArrowUp: i - 2, Home: 0, End: all.length - 1 }[e.key];
      if (e.key === "Escape") return e.preventDefault(), this.input.focus();
      if (to === undefined) return;
      e.preventDefault();
      const target = all[Math.min(all.length - 1, Math.max(0, to))];
      this.rove(target);
      target.focus();
    }

    vote(box, ev, vote) {
      const S = this.S;
      this.flush();
      if (vote === "up") return this.thank(box, ev, vote);
      const rid = `${box.id}r`;
      const input = h("input", { id: rid, part: "reason", maxlength: 200, enterkeyhint: "send",
        onkeydown: (e) => (e.key === "Enter" || e.key === "Escape") && (e.preventDefault(), this.flush(true)) });
      const why = h("span", { class: "why", onfocusout: (e) => why.contains(e.relatedTarget) || this.flush() },
        h("label", { for: rid, text: S.why }), input,
        h("button", { type: "button", class: "retry", part: "send", text: S.send, onclick: () => this.flush(true) }));
      box.after(why);
      this.pending = () => (why.remove(), this.thank(box, ev, vote, clean(input.value).slice(0, 200)));
      // Focus moves to the reason before the buttons go: removing the focused button (a keyboard vote)
      // would blur it out of the widget, which folds the results away and the reason with them.
      input.focus();
      box.replaceChildren();
    }

    // Sends the vote waiting for its reason, if any; `refocus` puts the visitor back in the search box.
    flush(refocus) {
      const pending = this.pending;
      this.pending = null;
      if (pending) pending();
      if (pending && refocus) this.input.focus();
    }

    thank(box, ev, vote, reason) {
      const refocus = box.contains(this.shadowRoot.activeElement);
      this.voted.add(`${ev.answer_id} ${ev.rank}`);
      this.send({ type: "feedback", ...ev, vote, ...(reason && { reason }) });
      box.replaceChildren(h("span", { part: "thanks", text: this.S.thanks }));
      this.live.textContent = this.S.thanks;
      if (!this.list.querySelector("button.vote[tabindex='0']")) this.rove(this.list.querySelector("button.vote"));
      if (refocus) this.input.focus();
    }

    clicked(option) {
      this.flush();
      this.keep(this.input.value);
      if (option.ev) this.send({ type: "click", ...option.ev });
    }

    // Fire and forget: keepalive lets it outlive the page the click leaves, so it never delays the
    // visit, and a failure is never the visitor's problem.
    send(event) {
      const endpoint = this.endpoint;
      if (!endpoint || !event.answer_id) return;
      fetch(new URL("api/v1/events", endpoint), { method: "POST", keepalive: true, credentials: "omit",
        headers: { "content-type": "application/json" }, body: JSON.stringify(event) }).catch(() => {});
    }

    // The section's link: on the host's own guide page when link-base is set, else the advisor's page.
    link(r, sentence) {
      const base = this.getAttribute("link-base");
      const guide = this.getAttribute("guide");
      const anchor = typeof r.anchor === "string" ? r.anchor : "";
      let url = null;
      if (base && (base.includes("{guide}") || !guide || r.guide === guide)) {
        url = safeURL(base.replace("{guide}", encodeURIComponent(String(r.guide ?? ""))), document.baseURI);
        if (url && anchor) url.hash = anchor;
      } else if (typeof r.url === "string") url = safeURL(r.url, this.endpoint || undefined);
      if (!url) return null;
      // The server's fragment when it sends one: it knows whether the sentence is unique in the guide
      // ("" when it is not, or is a table row); an older server's answer gets one made here.
      const own = typeof r.fragment === "string" ? r.fragment.replace(/^:~:text=/, "") : null;
      const fragment = own ?? (sentence ? textFragment(sentence) : "");
      return fragment ? `${url.href}${url.hash ? "" : "#"}:~:text=${fragment}` : url.href;
    }
  }

  customElements.define(TAG, CareerAdvisor);
})();
