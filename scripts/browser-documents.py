#!/usr/bin/env python3
"""End-to-end document workflow through the web forms, in a real (headless) browser.

Against a running EGov server started with `--demo`, the demo people of UBND tỉnh Quảng Ninh
(quangninh.vanthu, .lanhdao, .truongphong, .chuyenvien) take, using only the HTML forms:

  A) an INCOMING document: the clerk registers it (sender Bộ Nội vụ 000.00.00.G09, a unique
     "<n>/QĐ-BNV", urgent, Vietnamese subject, a real PDF attached) -> presents it to the
     leader -> the leader directs it to "Phòng Tổng hợp" (5 working days) from /inbox -> the
     unit head assigns it to the specialist from /inbox -> the specialist records progress
     and finishes it ("Đã hoàn thành").
  B) an OUTGOING document: the specialist drafts an official letter to Sở Nội vụ tỉnh
     Quảng Ninh (000.00.01.H49) with a PDF and submits it -> the unit head approves -> the
     leader signs ("KT. CHỦ TỊCH", after the confirmation step) and sees "Chữ ký số hợp lệ" -> the clerk issues it ("Đã cấp số",
     signature still valid) and /exchange/outbox lists it as "Chờ gửi".

Every run uses fresh numbers and subjects, so it can run again against the same server.

Env: EGOV_URL (http://127.0.0.1:8080), EGOV_DEMO_PASSWORD (EGov@2026demo),
     EGOV_SCREENSHOT_DIR (.ci-work/browser-documents/), CHROMIUM_BIN (/usr/bin/chromium),
     CHROMEDRIVER_BIN (/usr/bin/chromedriver), EGOV_BROWSER_TIMEOUT (15, seconds per wait).
Needs: scripts/install-deps --browser.   Exit codes: 0 ok, 1 check failed, 2 setup error.
"""
import datetime
import os
import random
import re
import sys
import tempfile
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_checks  # noqa: E402  (overflow, axe-core and screenshots on every page)

# Never let Selenium Manager try to download drivers/browsers: there is no network for it.
os.environ.setdefault("SE_OFFLINE", "true")

BASE = os.environ.get("EGOV_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = os.environ.get("EGOV_DEMO_PASSWORD", "EGov@2026demo")
SHOT_DIR = os.environ.get("EGOV_SCREENSHOT_DIR", ".ci-work/browser-documents/")
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
DRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
TIMEOUT = float(os.environ.get("EGOV_BROWSER_TIMEOUT", "15"))

CLERK = "quangninh.vanthu"
LEADER = "quangninh.lanhdao"
UNIT_HEAD = "quangninh.truongphong"
SPECIALIST = "quangninh.chuyenvien"
SENDER_CODE = "000.00.00.G09"        # Bộ Nội vụ
RECIPIENT_CODE = "000.00.01.H49"     # Sở Nội vụ tỉnh Quảng Ninh
LEAD_UNIT = "Phòng Tổng hợp"


def say(msg):
    print(f"[browser-documents] {msg}", flush=True)


def nfc(s):
    return unicodedata.normalize("NFC", s or "")


def squash(s):
    return " ".join(nfc(s).split())


def short(e):
    """Selenium's message without chromedriver's stack trace."""
    msg = getattr(e, "msg", None) or str(e)
    return (msg.split("\n")[0].strip() or type(e).__name__)


class CheckFailed(Exception):
    pass


def minimal_pdf(text):
    """A small, valid one-page PDF (correct xref offsets) showing `text` (ASCII)."""
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Flow:
    def __init__(self, driver, By, EC, Select, WebDriverWait, TimeoutException, WebDriverException):
        self.WebDriverException = WebDriverException
        self.d = driver
        self.By = By
        self.EC = EC
        self.Select = Select
        self.Wait = WebDriverWait
        self.TimeoutException = TimeoutException
        self.shots = []
        self.who = None
        self.checks = None  # a browser_checks.PageChecks, run on every page this flow lands on

    # ---- page helpers -----------------------------------------------------------------
    def wait(self, cond, what):
        try:
            return self.Wait(self.d, TIMEOUT).until(cond)
        except self.TimeoutException:
            raise CheckFailed(f"timed out after {TIMEOUT:g}s waiting for {what}")

    def loaded(self):
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "page load")

    def open(self, path):
        self.d.get(BASE + path)
        self.loaded()
        self.page_check()

    def page_check(self):
        if self.checks:
            self.checks.check(who=self.who)

    def css(self, selector, what=None):
        found = self.d.find_elements(self.By.CSS_SELECTOR, selector)
        if not found:
            raise CheckFailed(f"no {what or selector} on the page (selector {selector!r})")
        return found[0]

    def body_text(self):
        try:
            return squash(self.d.find_element(self.By.TAG_NAME, "body").text)
        except Exception:
            return ""

    def texts(self, selector):
        return [squash(e.text) for e in self.d.find_elements(self.By.CSS_SELECTOR, selector) if e.text.strip()]

    def flash(self):
        return " | ".join(self.texts(".flash"))

    def click_and_wait(self, button):
        """Click a submit button and wait for the next page to replace this one."""
        # A marker on the old window object: the next page has a fresh one without it. (Waiting for the
        # old <html> element to go stale can trip chromedriver's "Node ... does not belong to the document".)
        self.d.execute_script("window.__egovOldPage = true;"
                              "arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()

        def next_page(d):
            try:
                return d.execute_script("return window.__egovOldPage !== true && document.readyState === 'complete';")
            except self.WebDriverException:
                return False  # between documents
        self.wait(next_page, "the form to be submitted (next page)")
        self.page_check()

    def form(self, action_suffix):
        return self.css(f'form[action$="{action_suffix}"]', f"form posting to …{action_suffix}")

    def submit_form(self, form):
        buttons = form.find_elements(self.By.CSS_SELECTOR, "button[type=submit]")
        if not buttons:
            raise CheckFailed(f"form {form.get_attribute('action')!r} has no submit button")
        self.click_and_wait(buttons[0])

    def type_into(self, element, text):
        element.clear()
        element.send_keys(nfc(text))

    def set_value(self, element, value):
        """For date inputs: set the ISO value directly (typing depends on the browser's locale)."""
        self.d.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)
        if element.get_attribute("value") != value:
            raise CheckFailed(f"could not set {element.get_attribute('name')!r} to {value!r}")

    def select_value(self, select_el, value):
        try:
            self.Select(select_el).select_by_value(value)
        except Exception:
            raise CheckFailed(f"select {select_el.get_attribute('name')!r} has no option with value {value!r}")

    def options(self, select_el):
        return [(o.get_attribute("value"), squash(o.text)) for o in self.Select(select_el).options]

    def select_text(self, select_el, contains=None):
        """Select the first option whose text contains `contains` (or the first non-empty one)."""
        opts = [(v, t) for v, t in self.options(select_el) if v]
        if not opts:
            raise CheckFailed(f"select {select_el.get_attribute('name')!r} offers no choice")
        chosen = None
        if contains:
            chosen = next(((v, t) for v, t in opts if nfc(contains) in t), None)
            if chosen is None:
                return None
        chosen = chosen or opts[0]
        self.Select(select_el).select_by_value(chosen[0])
        return chosen

    def expect_text(self, text, where="page"):
        if nfc(text) not in self.body_text():
            raise CheckFailed(f"{where} does not show {text!r}")

    def expect_flash(self, text):
        got = self.flash()
        if nfc(text) not in got:
            raise CheckFailed(f"flash message is {got!r}, expected it to contain {text!r}")
        return got

    def expect_no_errors(self, what):
        errs = self.texts(".error-summary")
        if errs:
            raise CheckFailed(f"{what} was refused: {' | '.join(errs)}")

    def shot(self, name):
        path = os.path.join(SHOT_DIR, name)
        self.d.save_screenshot(path)
        self.shots.append(path)
        return path

    # ---- sessions ---------------------------------------------------------------------
    def sign_out(self):
        forms = self.d.find_elements(self.By.CSS_SELECTOR, 'form[action="/sign-out"]')
        if forms:
            self.submit_form(forms[0])
        else:
            self.d.delete_all_cookies()
        self.who = None

    def sign_in(self, username):
        if self.who == username:
            return
        if self.who is not None or self.d.find_elements(self.By.CSS_SELECTOR, "#current-user"):
            self.sign_out()
        self.open("/sign-in")
        if self.d.find_elements(self.By.CSS_SELECTOR, "#current-user"):
            self.sign_out()
            self.open("/sign-in")
        self.type_into(self.css('input[name="username"]'), username)
        self.type_into(self.css('input[name="password"]'), PASSWORD)
        self.click_and_wait(self.css("#sign-in-submit"))
        found = self.d.find_elements(self.By.CSS_SELECTOR, "#current-user")
        if not found or not found[0].is_displayed():
            why = " | ".join(self.texts(".alert-error, [role=alert]"))
            raise CheckFailed(f"signing in as {username!r} failed (no visible #current-user)"
                              + (f": {why}" if why else ""))
        el = found[0]
        self.who = username
        name = squash(el.text)
        say(f"  signed in as {username} ({name})")
        return name

    # ---- navigation -------------------------------------------------------------------
    def doc_id(self, kind):
        m = re.search(rf"/documents/{kind}/([0-9A-Fa-f-]{{36}})", self.d.current_url)
        if not m:
            raise CheckFailed(f"expected to be on a /documents/{kind}/<id> page")
        return m.group(1)

    def open_from_inbox(self, kind, doc_id):
        self.open("/inbox")
        links = self.d.find_elements(self.By.CSS_SELECTOR, f'a[href="/documents/{kind}/{doc_id}"]')
        if not links:
            raise CheckFailed(f"/inbox of {self.who} does not list the document /documents/{kind}/{doc_id}")
        self.click_and_wait(links[0])
        if doc_id not in self.d.current_url:
            raise CheckFailed(f"the inbox link did not open /documents/{kind}/{doc_id}")


def run_incoming(f, pdf_path, pdf_name, tag):
    today = datetime.date.today()
    say("A) incoming document")
    # 1. Registration by the clerk.
    say(f"A1 {CLERK} registers an incoming document from {SENDER_CODE}")
    f.sign_in(CLERK)
    subject = (f"Về việc tăng cường kỷ luật, kỷ cương hành chính và đẩy mạnh chuyển đổi số "
               f"trong cơ quan nhà nước (kiểm thử {tag})")
    for attempt in range(3):
        number = f"{random.randint(100, 9999)}/QĐ-BNV"
        issued = (today - datetime.timedelta(days=random.randint(2, 6))).isoformat()
        f.open("/documents/incoming/new")
        form = f.form("/documents/incoming")
        f.select_value(form.find_element(f.By.NAME, "sender_agency_code"), SENDER_CODE)
        f.type_into(form.find_element(f.By.NAME, "number_notation"), number)
        f.select_value(form.find_element(f.By.NAME, "type_code"), "decision")
        f.set_value(form.find_element(f.By.NAME, "issued_date"), issued)
        f.type_into(form.find_element(f.By.NAME, "subject"), subject)
        f.type_into(form.find_element(f.By.NAME, "signer_name"), "Phạm Thị Thanh Trà")
        signer_pos = form.find_elements(f.By.NAME, "signer_position")
        if signer_pos:
            f.type_into(signer_pos[0], "Bộ trưởng")
        f.select_value(form.find_element(f.By.NAME, "urgency"), "urgent")
        form.find_element(f.By.CSS_SELECTOR, 'input[type=file][name="attachments[]"]').send_keys(pdf_path)
        say(f"  number {number}, issued {issued}, urgent, attachment {pdf_name}")
        f.submit_form(form)
        dup = f.d.find_elements(f.By.CSS_SELECTOR, ".error-summary-link a")
        if dup and attempt < 2:
            say(f"  {number} of {issued} is already registered; retrying with another number")
            continue
        break
    f.expect_no_errors("registration")
    flash = f.expect_flash("Đã vào sổ văn bản đến số")
    incoming_id = f.doc_id("incoming")
    f.expect_text(pdf_name, "the document page")
    f.expect_text(subject, "the document page")
    say(f"  OK: {flash!r}; document {incoming_id} shows {pdf_name}")
    say(f"  screenshot {f.shot('01-incoming-registered.png')}")

    # 2. Present to the leader.
    say("A2 the clerk presents it to the leader")
    form = f.form(f"/documents/incoming/{incoming_id}/present")
    chosen = f.select_text(form.find_element(f.By.NAME, "leader_id"))
    leader_label = chosen[1]
    say(f"  leader_id = {leader_label!r}")
    f.submit_form(form)
    f.expect_no_errors("presenting")
    say(f"  OK: {f.flash()!r}")

    # 3. The leader directs it.
    say(f"A3 {LEADER} opens /inbox and directs it to {LEAD_UNIT!r}")
    leader_name = f.sign_in(LEADER)
    if leader_name not in leader_label:
        raise CheckFailed(f"the document was presented to {leader_label!r}, not to {LEADER} ({leader_name})")
    f.open_from_inbox("incoming", incoming_id)
    form = f.form(f"/documents/incoming/{incoming_id}/direct")
    if not f.select_text(form.find_element(f.By.NAME, "lead_unit_id"), LEAD_UNIT):
        raise CheckFailed(f"lead_unit_id has no option {LEAD_UNIT!r}")
    f.type_into(form.find_element(f.By.NAME, "deadline_working_days"), "5")
    f.type_into(form.find_element(f.By.NAME, "note"),
                "Giao Phòng Tổng hợp chủ trì, tham mưu văn bản triển khai; báo cáo kết quả đúng hạn.")
    f.submit_form(form)
    f.expect_no_errors("directing")
    say(f"  OK: {f.expect_flash('Đã ghi ý kiến chỉ đạo')!r}")

    # 4. The unit head assigns it.
    say(f"A4 {UNIT_HEAD} opens /inbox and assigns it")
    f.sign_in(UNIT_HEAD)
    f.open_from_inbox("incoming", incoming_id)
    form = f.form(f"/documents/incoming/{incoming_id}/assign")
    select = form.find_element(f.By.NAME, "assignee_id")
    chosen = f.select_text(select, "Chuyên viên") or f.select_text(select)
    say(f"  assignee_id = {chosen[1]!r}")
    f.submit_form(form)
    f.expect_no_errors("assigning")
    say(f"  OK: {f.flash()!r}")

    # 5. The specialist records progress and finishes.
    say(f"A5 {SPECIALIST} records progress and finishes")
    specialist_name = f.sign_in(SPECIALIST)
    if specialist_name not in chosen[1]:
        raise CheckFailed(f"the document was assigned to {chosen[1]!r}, not to {SPECIALIST} ({specialist_name})")
    f.open_from_inbox("incoming", incoming_id)
    form = f.form(f"/documents/incoming/{incoming_id}/progress")
    f.type_into(form.find_element(f.By.NAME, "note"), "Đã dự thảo kế hoạch triển khai, đang xin ý kiến các đơn vị.")
    f.submit_form(form)
    f.expect_no_errors("recording progress")
    say(f"  progress: {f.flash()!r}")
    form = f.form(f"/documents/incoming/{incoming_id}/finish")
    f.type_into(form.find_element(f.By.NAME, "note"),
                f"Đã tham mưu Kế hoạch số {tag}/KH-UBND triển khai thực hiện; hoàn thành đúng hạn.")
    f.submit_form(form)
    f.expect_no_errors("finishing")
    f.expect_text("Đã hoàn thành", "the document page")
    badges = " ".join(f.texts(".page-badges"))
    say(f"  OK: {f.flash()!r}; state {badges!r}")
    say(f"  screenshot {f.shot('02-incoming-done.png')}")
    return incoming_id


def run_outgoing(f, pdf_path, pdf_name, tag):
    say("B) outgoing document")
    # 1. Draft and submit.
    say(f"B1 {SPECIALIST} drafts an official letter to {RECIPIENT_CODE} and submits it")
    f.sign_in(SPECIALIST)
    f.open("/documents/outgoing/new")
    form = f.form('/documents/outgoing')
    subject = (f"Về việc góp ý dự thảo Đề án sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn "
               f"thuộc Ủy ban nhân dân tỉnh (kiểm thử {tag})")
    f.select_value(form.find_element(f.By.NAME, "type_code"), "official_letter")
    f.type_into(form.find_element(f.By.NAME, "subject"), subject)
    boxes = form.find_elements(f.By.CSS_SELECTOR, f'input[type=checkbox][name="recipient_agency_codes[]"][value="{RECIPIENT_CODE}"]')
    if not boxes:
        raise CheckFailed(f"no recipient_agency_codes[] checkbox with value {RECIPIENT_CODE!r}")
    f.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", boxes[0])
    if not boxes[0].is_selected():
        boxes[0].click()
    if not boxes[0].is_selected():
        raise CheckFailed(f"could not tick recipient {RECIPIENT_CODE}")
    form.find_element(f.By.CSS_SELECTOR, 'input[type=file][name="attachments[]"]').send_keys(pdf_path)
    f.submit_form(form)
    f.expect_no_errors("saving the draft")
    outgoing_id = f.doc_id("outgoing")
    f.expect_text(pdf_name, "the draft page")
    f.expect_text(subject, "the draft page")
    say(f"  saved: {f.flash()!r}; draft {outgoing_id} with {pdf_name}")
    f.submit_form(f.form(f"/documents/outgoing/{outgoing_id}/submit"))
    f.expect_no_errors("submitting")
    say(f"  OK: {f.flash()!r}")

    # 2. Approve.
    say(f"B2 {UNIT_HEAD} approves it")
    f.sign_in(UNIT_HEAD)
    f.open_from_inbox("outgoing", outgoing_id)
    f.submit_form(f.form(f"/documents/outgoing/{outgoing_id}/approve"))
    f.expect_no_errors("approving")
    say(f"  OK: {f.flash()!r}")

    # 3. Sign.
    say(f"B3 {LEADER} signs it (KT.)")
    f.sign_in(LEADER)
    f.open_from_inbox("outgoing", outgoing_id)
    form = f.form(f"/documents/outgoing/{outgoing_id}/sign")
    f.select_value(form.find_element(f.By.NAME, "signing_mark"), "KT.")
    f.type_into(form.find_element(f.By.NAME, "head_title"), "Chủ tịch")
    f.type_into(form.find_element(f.By.NAME, "signer_position"), "Phó Chủ tịch")
    f.submit_form(form)
    # Nothing is signed yet: the confirmation step shows the signature block and the files.
    f.expect_no_errors("opening the signing confirmation")
    confirmation = squash(f.css("body").text)
    for expected in ("Xác nhận ký số", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        if expected not in confirmation:
            raise CheckFailed(f"the signing confirmation does not show {expected!r}")
    say(f"  confirmation shows the block; screenshot {f.shot('03-outgoing-sign-confirm.png')}")
    f.submit_form(f.form(f"/documents/outgoing/{outgoing_id}/sign"))
    f.expect_no_errors("signing")
    signer = squash(f.css("#info-title").find_element(f.By.XPATH, "..").text)
    if "KT. CHỦ TỊCH" not in signer or "Lãnh đạo" in signer.split("Người ký", 1)[-1][:40]:
        raise CheckFailed(f"the signer is not shown as title and mark: {signer[-160:]!r}")
    status = squash(f.css("#signature-status").text)
    if "Chữ ký số hợp lệ" not in status:
        raise CheckFailed(f"#signature-status is {status!r}, expected 'Chữ ký số hợp lệ'")
    say(f"  OK: {f.flash()!r}; signature: {status[:60]!r}")

    # 4. Issue.
    say(f"B4 {CLERK} issues it")
    f.sign_in(CLERK)
    f.open_from_inbox("outgoing", outgoing_id)
    f.submit_form(f.form(f"/documents/outgoing/{outgoing_id}/issue"))
    f.expect_no_errors("issuing")
    flash = f.expect_flash("Đã cấp số")
    status = squash(f.css("#signature-status").text)
    if "Chữ ký số hợp lệ" not in status:
        raise CheckFailed(f"after issuing, #signature-status is {status!r}, expected 'Chữ ký số hợp lệ'")
    number = squash(f.css("h1").text)
    say(f"  OK: {flash!r}; number {number!r}; signature still valid")
    say(f"  screenshot {f.shot('03-outgoing-issued.png')}")

    say("B5 /exchange/outbox lists it as waiting")
    f.open("/exchange/outbox")
    rows = [squash(r.text) for r in f.d.find_elements(f.By.CSS_SELECTOR, "tbody tr")
            if r.find_elements(f.By.CSS_SELECTOR, f'a[href="/documents/outgoing/{outgoing_id}"]')]
    if not rows:
        raise CheckFailed(f"/exchange/outbox does not list /documents/outgoing/{outgoing_id}")
    if not any("Chờ gửi" in r for r in rows):
        raise CheckFailed(f"/exchange/outbox row is {rows[0]!r}, expected 'Chờ gửi'")
    say(f"  OK: {rows[0][:160]!r}")
    say(f"  screenshot {f.shot('04-exchange-outbox.png')}")

    say(f"B6 {SPECIALIST} files it in a new work file and closes the file; its history shows the move")
    f.sign_in(SPECIALIST)
    f.open("/work-files")
    form = f.css('form[method="post"][action="/work-files"]', "the form that opens a work file")
    code = f"{int(time.time()) % 900 + 100}.TH"
    f.type_into(form.find_element(f.By.NAME, "code"), code)
    f.type_into(form.find_element(f.By.NAME, "title"), f"Hồ sơ góp ý đề án sắp xếp tổ chức bộ máy (kiểm thử {tag})")
    f.select_text(form.find_element(f.By.NAME, "retention"))
    f.submit_form(form)
    follow = [a.get_attribute("href") for a in f.d.find_elements(f.By.CSS_SELECTOR, "main a[href*='/work-files/']")
              if squash(a.text).startswith(code) or code in squash(a.text)]
    if not re.search(r"/work-files/[0-9A-Fa-f-]{36}$", f.d.current_url):
        if not follow:
            raise CheckFailed(f"after creating work file {code}, no link to it on {f.d.current_url}: {f.flash()!r}")
        f.open(re.sub(r"^https?://[^/]+", "", follow[0]))
    file_path = re.sub(r"^https?://[^/]+", "", f.d.current_url)
    form = f.form(file_path + "/documents")
    f.type_into(form.find_element(f.By.NAME, "document_id"), outgoing_id)
    f.select_value(form.find_element(f.By.NAME, "kind"), "outgoing")
    f.submit_form(form)
    f.submit_form(f.form(file_path + "/close"))
    history = f.texts("#history-title ~ .table-wrap tbody tr")
    if not any("Đóng hồ sơ" in row for row in history):
        raise CheckFailed(f"{file_path}: the history lists {history!r}, expected a line 'Đóng hồ sơ' ({f.flash()!r})")
    say(f"  OK: {code}: {history[0][:120]!r}")
    say(f"  screenshot {f.shot('05-work-file-closed.png')}")
    return outgoing_id


def main():
    try:
        from selenium import webdriver
        from selenium.common.exceptions import TimeoutException, WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError as e:
        say(f"ERROR: selenium is not importable ({e}); run scripts/install-deps --browser")
        return 2
    for path in (CHROMIUM, DRIVER):
        if not os.access(path, os.X_OK):
            say(f"ERROR: {path} missing; run scripts/install-deps --browser")
            return 2

    os.makedirs(SHOT_DIR, exist_ok=True)
    stale = os.path.join(SHOT_DIR, "failure.png")  # from an earlier failed run
    if os.path.exists(stale):
        os.remove(stale)
    tmp = tempfile.TemporaryDirectory(prefix="egov-e2e-")
    tag = f"{int(time.time()) % 100000:05d}{random.randint(0, 9)}"
    pdf_name = f"van-ban-kiem-thu-{tag}.pdf"
    pdf_path = os.path.join(tmp.name, pdf_name)
    with open(pdf_path, "wb") as fh:
        fh.write(minimal_pdf(f"EGov end-to-end test {tag}"))

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi-VN"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})

    t0 = time.monotonic()
    try:
        driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    except Exception as e:
        say(f"ERROR: cannot start headless chromium: {short(e)}")
        return 2
    driver.set_page_load_timeout(30)
    say(f"started {driver.capabilities.get('browserName')} "
        f"{driver.capabilities.get('browserVersion')} in {time.monotonic() - t0:.1f}s; "
        f"server {BASE}; run tag {tag}")
    f = Flow(driver, By, EC, Select, WebDriverWait, TimeoutException, WebDriverException)
    f.checks = browser_checks.PageChecks(driver, "documents", say)
    try:
        try:
            driver.get(f"{BASE}/sign-in")
        except Exception as e:
            say(f"FAIL: cannot load {BASE}/sign-in: {short(e)}")
            return 1
        incoming_id = run_incoming(f, pdf_path, pdf_name, tag)
        outgoing_id = run_outgoing(f, pdf_path, pdf_name, tag)
        for entry in console_errors(driver):
            say(f"browser console error: {entry.get('message')}")
        if f.checks.report():
            return 1
    except (CheckFailed, WebDriverException) as e:
        say(f"FAIL ({'signed in as ' + f.who if f.who else 'not signed in'}): {short(e)}")
        try:
            body = driver.find_element(By.TAG_NAME, "body").text
        except Exception:
            body = ""
        say(f"page: url={driver.current_url!r} title={driver.title!r} text={squash(body)[:400]!r}")
        for sel in (".error-summary", ".flash", ".alert-error"):
            for text in f.texts(sel):
                say(f"page {sel}: {text!r}")
        try:
            say(f"screenshot {f.shot('failure.png')}")
        except Exception:
            pass
        for entry in console_errors(driver):
            say(f"browser console: {entry.get('message')}")
        f.checks.report()
        return 1
    finally:
        try:
            driver.quit()
        finally:
            tmp.cleanup()
    say(f"OK: incoming /documents/incoming/{incoming_id} done; outgoing /documents/outgoing/{outgoing_id} "
        f"issued, signed and waiting in the outbox; {time.monotonic() - t0:.1f}s; "
        f"screenshots in {SHOT_DIR}")
    return 0


def console_errors(driver):
    try:
        return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:
        return []


if __name__ == "__main__":
    sys.exit(main())
