"""Checks every Chromium journey runs on every page it visits (imported by scripts/browser-*.py).

For each page, at 390 px (a phone) and at 1366 px (a laptop) viewport width:
  - no horizontal overflow: document.documentElement.scrollWidth <= window.innerWidth (the
    widest elements sticking out are named in the failure);
  - axe-core (the copy PyPI selenium-axe-python ships, injected by the test driver, not by the page)
    finds no violation of impact "serious" or "critical";
  - at 1366 px, no table that scrolls inside its wrapper and no cell stacking a word a line;
  - every <dl class="details"> pairs its <dt>/<dd> inside <div> wrappers (the grid needs them);
  - a full-page screenshot: .ci-work/screenshots/<journey>/<NN>-<page>-<width>.png.
Problems are collected, not raised, so one run lists them all; `report()` prints them and
returns the number of failing pages. The viewport is left at 1366 px after each check.

Env: EGOV_PAGE_CHECKS (1; 0 turns the checks off), EGOV_SCREENSHOT_ROOT (.ci-work/screenshots),
     EGOV_AXE_JS (path to another axe.min.js), EGOV_CHECK_WIDTHS ("390 1366").
"""
import os
import re
import time
import unicodedata

PHONE, DESKTOP = 390, 1366
HEIGHT = {PHONE: 844, DESKTOP: 900}
MAX_SHOT_HEIGHT = 8000  # px; keeps a screenshot of a long register readable and small

OVERFLOW_JS = r"""
const vw = window.innerWidth, doc = document.documentElement;
const out = [];
const describe = el => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
  return s;
};
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= vw + 0.5) continue;
  // Inside a container that scrolls on its own (a table wrapper): that is allowed, unless the
  // element is absolutely placed (it escapes a wrapper that is not its containing block).
  let p = getComputedStyle(el).position === 'absolute' ? null : el.parentElement, clipped = false;
  while (p && p !== document.body) {
    const ox = getComputedStyle(p).overflowX;
    if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') { clipped = true; break; }
    p = p.parentElement;
  }
  if (clipped) continue;
  // Report the innermost culprits: skip an element whose children also stick out.
  const kids = Array.from(el.children).some(c => c.getBoundingClientRect().right > vw + 0.5);
  if (!kids) out.push(describe(el) + ' right=' + Math.round(r.right) + ' text=' + JSON.stringify((el.textContent || '').trim().slice(0, 40)));
}
return {scrollWidth: doc.scrollWidth, innerWidth: vw, culprits: out.slice(0, 6)};
"""

DETAILS_JS = r"""
const bad = [];
for (const dl of document.querySelectorAll('dl.details')) {
  for (const c of dl.children) {
    if (c.tagName !== 'DIV') bad.push(c.tagName.toLowerCase() + ' ' + JSON.stringify(c.textContent.trim().slice(0, 30)));
  }
}
return bad.slice(0, 5);
"""

# At laptop width: a table that needs its own horizontal scrollbar, and a cell whose words
# stack one a line (a column squeezed to a word's width).
WIDE_TABLE_JS = r"""
const out = [];
// The A4-landscape registers (.register) scroll in their own box on screen; print-check checks
// that they fit their paper.
for (const w of document.querySelectorAll('.table-wrap:not(.register .table-wrap)')) {
  if (w.scrollWidth > w.clientWidth + 1 && w.offsetParent !== null)
    out.push('table needs horizontal scrolling: ' + w.scrollWidth + ' > ' + w.clientWidth + ' px (' +
             (w.closest('section, main')?.querySelector('h1, h2')?.textContent.trim().slice(0, 40) || '') + ')');
}
// Per text node: one line box per fragment. Words each on its own line ("Phạm / Phương / Thảo"),
// or any wrapped text in a column under 80 px ("Bộ Nội / vụ"), is a column squeezed too far.
const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n && out.length < 8; n = walker.nextNode()) {
  const cell = n.parentElement.closest('td, th');
  // Headings may wrap onto two lines; the data cells are what a squeezed column cuts up.
  if (!cell || !cell.closest('.table-wrap') || cell.closest('thead')) continue;
  const words = n.textContent.trim().split(/\s+/).filter(x => x.length > 0);
  // A hash or file name breaks anywhere by design: only natural words count.
  if (words.length < 2 || words.some(w => w.length > 20)) continue;
  const range = document.createRange(); range.selectNodeContents(n);
  const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top / 4))).size;
  const width = cell.getBoundingClientRect().width;
  if (lines >= 2 && ((words.length >= 3 && lines >= words.length) || width < 80))
    out.push('a word a line (' + lines + ' lines in a ' + Math.round(width) + ' px column): ' +
             JSON.stringify(n.textContent.trim().slice(0, 40)));
}
return out;
"""

SIGNATURE_JS = r"""
const h1 = document.querySelector('h1');
const forms = Array.from(document.forms).map(f => f.getAttribute('action') || '').join(' ');
return (h1 ? h1.textContent.trim() : '') + ' | ' + forms.replace(/[0-9a-fA-F-]{36}/g, 'N') +
       ' | ' + (document.querySelector('.error-summary, [role=alert]') ? 'error' : '');
"""

AXE_RUN_JS = r"""
const done = arguments[arguments.length - 1];
const old = /^[0-3]\./.test(axe.version);  // axe-core 3.x predates <div> groups in <dl> (HTML 5.2)
axe.run(document, {resultTypes: ['violations'],
                   rules: old ? {dlitem: {enabled: false}, 'definition-list': {enabled: false}} : {}}).then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(1, 2).join(' ').trim())
  .concat(v.nodes.length > 4 ? ['… ' + (v.nodes.length - 4) + ' more'] : [])
})))).catch(e => done({error: String(e)}));
"""


def _axe_source():
    """axe.min.js: EGOV_AXE_JS, else selenium-axe-python's copy (axe-core 4.x), else the older
    axe-selenium-python's (axe-core 3.1, which wrongly flags <div> groups in a <dl>: see AXE_OPTIONS)."""
    path = os.environ.get("EGOV_AXE_JS")
    if not path:
        for module, rel in (("selenium_axe_python", ("axe-core", "axe.min.js")),
                            ("axe_selenium_python", ("node_modules", "axe-core", "axe.min.js"))):
            try:
                mod = __import__(module)
            except ImportError:
                continue
            path = os.path.join(os.path.dirname(mod.__file__), *rel)
            break
        else:
            raise RuntimeError("no axe-core: run scripts/install-deps --browser (PyPI selenium-axe-python)")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "home"


class PageChecks:
    def __init__(self, driver, journey, say=print):
        self.d = driver
        self.journey = journey
        self.say = say
        self.enabled = os.environ.get("EGOV_PAGE_CHECKS", "1") != "0"
        self.widths = [int(w) for w in os.environ.get("EGOV_CHECK_WIDTHS", f"{PHONE} {DESKTOP}").split()]
        root = os.environ.get("EGOV_SCREENSHOT_ROOT", ".ci-work/screenshots")
        self.dir = os.path.join(root, journey)
        self.count = 0
        self.failures = []   # (page label, problem)
        self.seen = set()
        self.seconds = 0.0
        if self.enabled:
            self.axe = _axe_source()
            os.makedirs(self.dir, exist_ok=True)
            for name in os.listdir(self.dir):
                if name.endswith(".png"):
                    os.remove(os.path.join(self.dir, name))

    def _viewport(self, width):
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": HEIGHT.get(width, 900), "deviceScaleFactor": 1, "mobile": False})
        # Let layout settle (media queries apply on the next frame).
        self.d.execute_async_script("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")

    def _screenshot(self, path):
        metrics = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = self.d.execute_script("return window.innerWidth")
        height = min(int(size["height"]) + 1, MAX_SHOT_HEIGHT)
        import base64
        data = self.d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})["data"]
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(data))

    def check(self, name=None, who=None):
        """Check the page the browser shows now. `name` labels it (defaults to the URL path)."""
        if not self.enabled:
            return
        t0 = time.monotonic()
        url = self.d.current_url
        path = re.sub(r"^https?://[^/]+", "", url) or "/"
        generic = re.sub(r"[0-9a-fA-F-]{36}|\d+", "N", path.split("?")[0])
        # The same page in the same state (same person, heading and forms) is checked once:
        # journeys pass the sign-in page and the inbox many times.
        key = (who, generic, self.d.execute_script(SIGNATURE_JS))
        if key in self.seen:
            return
        self.seen.add(key)
        label = name or path + (f" ({who})" if who else "")
        self.count += 1
        stem = f"{self.count:02d}-{_slug(name or generic)}"
        scroll = self.d.execute_script("return [window.scrollX, window.scrollY]")
        try:
            bad_dl = self.d.execute_script(DETAILS_JS)
            if bad_dl:
                self.failures.append((label, f"dl.details has children outside <div> wrappers: {bad_dl}"))
            for width in self.widths:
                self._viewport(width)
                o = self.d.execute_script(OVERFLOW_JS)
                if o["scrollWidth"] > o["innerWidth"]:
                    self.failures.append((label, f"{width}px: horizontal overflow, scrollWidth {o['scrollWidth']} > "
                                                 f"innerWidth {o['innerWidth']}; sticking out: {o['culprits']}"))
                if width >= DESKTOP:
                    for problem in self.d.execute_script(WIDE_TABLE_JS):
                        self.failures.append((label, f"{width}px: {problem}"))
                if not self.d.execute_script("return typeof window.axe === 'object'"):
                    self.d.execute_script(self.axe)
                result = self.d.execute_async_script(AXE_RUN_JS)
                if isinstance(result, dict):
                    self.failures.append((label, f"{width}px: axe-core did not run: {result.get('error')}"))
                else:
                    for v in result:
                        if v["impact"] in ("serious", "critical"):
                            self.failures.append((label, f"{width}px: axe {v['impact']} {v['id']}: {v['help']}; "
                                                         f"{v['nodes']}"))
                self._screenshot(os.path.join(self.dir, f"{stem}-{width}.png"))
        finally:
            self._viewport(DESKTOP)
            self.d.execute_script("window.scrollTo(arguments[0], arguments[1])", *scroll)
            self.seconds += time.monotonic() - t0

    def report(self):
        """Print the problems found; returns the number of pages with a problem (0 = all passed)."""
        if not self.enabled:
            self.say("page checks: off (EGOV_PAGE_CHECKS=0)")
            return 0
        pages = []
        for label, problem in self.failures:
            if label not in pages:
                pages.append(label)
            self.say(f"PAGE CHECK FAIL {label}: {problem}")
        self.say(f"page checks: {self.count} page(s) at {'/'.join(map(str, self.widths))} px in "
                 f"{self.seconds:.1f}s; {len(pages)} with problems; screenshots in {self.dir}")
        return len(pages)


def start_chrome(say, width=DESKTOP, height=900):
    """A headless Chromium the way every journey starts it (no Selenium Manager downloads)."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--lang=vi-VN", "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")),
                              options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver
