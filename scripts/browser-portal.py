#!/usr/bin/env python3
"""The public-service journey through the web pages, in a real (headless) browser.

Against a running EGov server started with `--demo`:
  1. the demo citizen (congdan@egov.local) finds "thủ tục thành lập hội" by typing without
     diacritics, opens it, signs in on the portal and submits the online form with three PDFs;
  2. the one-stop clerk of UBND tỉnh Quảng Ninh accepts it (receipt with the promised date) and
     starts processing; the specialist of Phòng Tổng hợp hands it to Sở Nội vụ tỉnh Quảng Ninh;
  3. the department asks for a supplement; the citizen answers it with a file from the dossier page;
  4. the department hands it back to the provincial office, the clerk finishes it and returns the
     result file; the citizen sees "Đã trả kết quả", the timeline and the result, and rates it when
     the rating page exists.
Every run files a new dossier, so it can run again against the same server.

Env: EGOV_URL (http://127.0.0.1:8080), EGOV_DEMO_PASSWORD (EGov@2026demo), EGOV_SCREENSHOT_DIR
     (.ci-work/browser-portal/), CHROMIUM_BIN, CHROMEDRIVER_BIN, EGOV_BROWSER_TIMEOUT (15).
Needs: scripts/install-deps --browser.   Exit codes: 0 ok, 1 check failed, 2 setup error.
"""
import importlib.util
import os
import re
import sys
import tempfile
import time

os.environ.setdefault("EGOV_SCREENSHOT_DIR", ".ci-work/browser-portal/")
_spec = importlib.util.spec_from_file_location("browser_documents", os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser-documents.py"))
bd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bd)

CITIZEN = "congdan@egov.local"
CLERK = "quangninh.vanthu"
SPECIALIST = "quangninh.chuyenvien"
DEPARTMENT = "quangninh.snv.chuyenvien"


def say(msg):
    print(f"[browser-portal] {msg}", flush=True)


class PortalFlow(bd.Flow):
    def as_nobody(self):
        self.d.delete_all_cookies()
        self.who = None

    def officer(self, username):
        self.as_nobody()
        return self.sign_in(username)

    def portal_sign_in(self):
        """On the portal's sign-in page (where a protected page sent us): sign in, land back."""
        self.type_into(self.css("#login"), CITIZEN)
        self.type_into(self.css("#password"), bd.PASSWORD)
        self.click_and_wait(self.css("#sign-in-submit"))
        if not self.d.find_elements(self.By.CSS_SELECTOR, "#current-applicant"):
            raise bd.CheckFailed("the citizen's portal sign-in failed: " + " | ".join(self.texts("[role=alert], .error-summary")))
        self.who = CITIZEN

    def citizen(self, path):
        self.as_nobody()
        self.open(path)
        if "/portal/sign-in" in self.d.current_url:
            self.portal_sign_in()

    def click(self, selector, what):
        self.click_and_wait(self.css(selector, what))
        self.expect_no_errors(what)

    def status(self):
        return bd.squash(self.css("#dossier-status", "the dossier's status").text)


def journey(f, pdf_path, result_path):
    say("1. the citizen finds the procedure and submits the dossier online")
    f.as_nobody()
    f.open("/portal/procedures")
    f.type_into(f.css("#q"), "thanh lap hoi")
    f.submit_form(f.css("form.procedure-filters", "the search form"))
    links = [a for a in f.d.find_elements(f.By.CSS_SELECTOR, "a[href^='/portal/procedures/']") if "thành lập hội" in bd.nfc(a.text).lower()]
    if not links:
        raise bd.CheckFailed("searching 'thanh lap hoi' did not list 'Thủ tục thành lập hội'")
    f.click_and_wait(links[0])
    f.expect_text("Dự thảo điều lệ hội")
    f.click_and_wait(f.css("#submit-online", "the 'Nộp hồ sơ trực tuyến' button"))
    if "/portal/sign-in" in f.d.current_url:
        f.portal_sign_in()
    form = f.css("form[enctype='multipart/form-data']", "the online form")
    f.type_into(form.find_element(f.By.NAME, "ten_hoi"), "Hội Doanh nhân trẻ Hạ Long")
    f.select_value(form.find_element(f.By.NAME, "pham_vi"), "Toàn tỉnh")
    f.type_into(form.find_element(f.By.NAME, "so_hoi_vien"), "85")
    for slot in ("document_1[]", "document_2[]", "document_3[]"):
        form.find_element(f.By.CSS_SELECTOR, f'input[type=file][name="{slot}"]').send_keys(pdf_path)
    f.click("#submit-dossier", "the online submission")
    code = bd.squash(f.css("#dossier-code").text)
    if not re.fullmatch(r"000\.00\.00\.H49-\d{6}-\d{4}", code):
        raise bd.CheckFailed(f"unexpected dossier code {code!r}")
    dossier_path = re.search(r"/portal/dossiers/[0-9A-Fa-f-]{36}", f.d.current_url).group(0)
    desk_path = dossier_path.replace("/portal/", "/one-stop/")
    say(f"   submitted {code} ({f.status()})")
    f.shot("1-submitted.png")

    say("2. the clerk accepts and starts processing; the unit hands it to Sở Nội vụ")
    f.officer(CLERK)
    f.open("/one-stop/dossiers")
    f.expect_text(code, "the one-stop desk")
    f.open(desk_path)
    f.click("#do-accept", "the acceptance")
    promised = bd.squash(f.css("#promised-date").text)
    say(f"   accepted, promised date {promised}")
    f.click("#do-start", "the start of processing")
    f.officer(SPECIALIST)
    f.open(desk_path)
    f.click("#do-hand-over", "the unit's hand-over")
    f.expect_text("Sở Nội vụ tỉnh Quảng Ninh")

    say("3. the department asks for a supplement; the citizen answers it")
    f.officer(DEPARTMENT)
    f.open(desk_path)
    f.type_into(f.css("#supplement-reason"), "Bổ sung biên bản họp ban vận động thành lập hội.")
    f.click("#do-supplement", "the supplement request")
    f.citizen(dossier_path)
    f.expect_text("Bổ sung biên bản họp ban vận động thành lập hội.")
    f.css("#supplement-files").send_keys(pdf_path)
    f.type_into(f.css("#supplement-note"), "Gửi biên bản họp ngày 15")
    f.click("#send-supplement", "the supplement")

    say("4. back to the provincial office: finished and the result returned")
    f.officer(DEPARTMENT)
    f.open(desk_path)
    f.click("#do-hand-over", "the department's hand-over")
    f.officer(CLERK)
    f.open(desk_path)
    f.click("#do-finish", "the end of processing")
    f.css("#result-files").send_keys(result_path)
    f.click("#do-return", "the return of the result")
    f.shot("2-returned.png")

    f.citizen(dossier_path)
    if f.status() != "Đã trả kết quả":
        raise bd.CheckFailed(f"the citizen sees status {f.status()!r}, expected 'Đã trả kết quả'")
    f.expect_text(os.path.basename(result_path), "the citizen's dossier page")
    timeline = f.texts("#timeline li")
    if len(timeline) < 9:
        raise bd.CheckFailed(f"the timeline has {len(timeline)} lines: {timeline}")
    rating = f.d.find_elements(f.By.CSS_SELECTOR, f'a[href="{dossier_path}/rating"]')
    if rating:
        f.click_and_wait(rating[0])
        for select in f.d.find_elements(f.By.CSS_SELECTOR, "select"):
            f.select_value(select, "3")
        radios = f.d.find_elements(f.By.CSS_SELECTOR, "input[type=radio][value='3']")
        for radio in radios:
            f.d.execute_script("arguments[0].click();", radio)
        f.submit_form(f.css(f'form[action$="{dossier_path}/rating"]', "the rating form"))
        f.expect_no_errors("the rating")
        say("   rated: Rất hài lòng")
    f.shot("3-citizen.png")

    say("5. the statistics page from the portal menu, and the look-up page")
    f.click_and_wait(f.css("a.header-link[href='/portal/statistics']", "the portal menu's link to the statistics"))
    f.expect_text("Thống kê giải quyết hồ sơ")
    f.open("/portal/lookup")
    return code


def main():
    try:
        from selenium import webdriver
        from selenium.common.exceptions import TimeoutException, WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError as e:
        say(f"ERROR: selenium is missing ({e}); run scripts/install-deps --browser")
        return 2
    os.makedirs(bd.SHOT_DIR, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(prefix="egov-portal-")
    pdf_path = os.path.join(tmp.name, "ho-so-kiem-thu.pdf")
    result_path = os.path.join(tmp.name, "quyet-dinh-cho-phep-thanh-lap-hoi.pdf")
    with open(pdf_path, "wb") as fh:
        fh.write(bd.minimal_pdf("EGov portal test"))
    with open(result_path, "wb") as fh:
        fh.write(bd.minimal_pdf("Quyet dinh"))
    opts = webdriver.ChromeOptions()
    opts.binary_location = bd.CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi-VN"):
        opts.add_argument(arg)
    t0 = time.monotonic()
    try:
        driver = webdriver.Chrome(service=Service(executable_path=bd.DRIVER), options=opts)
    except Exception as e:
        say(f"ERROR: cannot start headless chromium: {bd.short(e)}")
        return 2
    driver.set_page_load_timeout(30)
    f = PortalFlow(driver, By, EC, Select, WebDriverWait, TimeoutException, WebDriverException)
    f.checks = bd.browser_checks.PageChecks(driver, "portal", say)
    try:
        code = journey(f, pdf_path, result_path)
        if f.checks.report():
            return 1
    except (bd.CheckFailed, WebDriverException) as e:
        say(f"FAIL ({'signed in as ' + f.who if f.who else 'not signed in'}): {bd.short(e)}")
        say(f"page: url={driver.current_url!r} text={bd.squash(f.body_text())[:500]!r}")
        try:
            say(f"screenshot {f.shot('failure.png')}")
        except Exception:
            pass
        f.checks.report()
        return 1
    finally:
        try:
            driver.quit()
        finally:
            tmp.cleanup()
    say(f"OK: dossier {code} submitted online, processed through two units and Sở Nội vụ, supplemented, "
        f"returned and seen by the citizen in {time.monotonic() - t0:.1f}s; screenshots in {bd.SHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
