#!/usr/bin/env python3
"""The administration journey through the web pages, in a real (headless) browser.

Against a running EGov server started with `--demo`, the system administrator (admin) signs
in and opens, as an administrator would: the home page, the users (the list, one user, the new
user form), the agencies (the list, one agency, its edit form, a unit's edit form), the audit
log (and a filtered view), the working-day calendar (holidays) and the procedure catalogue (the
list, the new and an edit form). Nothing is changed, so it can run again on the same server.
Each page gets the browser_checks page checks (overflow and axe-core at 390/1366 px,
screenshots in .ci-work/screenshots/admin/).

Env: EGOV_URL (http://127.0.0.1:8080), EGOV_DEMO_PASSWORD (EGov@2026demo), EGOV_ADMIN_USER (admin),
     CHROMIUM_BIN, CHROMEDRIVER_BIN, EGOV_BROWSER_TIMEOUT (15).
Needs: scripts/install-deps --browser.   Exit codes: 0 ok, 1 check failed, 2 setup error.
"""
import importlib.util
import os
import re
import sys
import time

os.environ.setdefault("EGOV_SCREENSHOT_DIR", ".ci-work/browser-admin/")
_spec = importlib.util.spec_from_file_location(
    "browser_documents", os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser-documents.py"))
bd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bd)

ADMIN = os.environ.get("EGOV_ADMIN_USER", "admin")


def say(msg):
    print(f"[browser-admin] {msg}", flush=True)


def follow_first(f, pattern, what):
    """Open the first link whose href matches `pattern` (a regex on the path)."""
    for a in f.d.find_elements(f.By.CSS_SELECTOR, "main a[href]"):
        href = a.get_attribute("href") or ""
        path = re.sub(r"^https?://[^/]+", "", href)
        if re.fullmatch(pattern, path):
            f.open(path)
            return path
    raise bd.CheckFailed(f"{f.d.current_url} links to no {what} (href matching {pattern!r})")


def expect_h1(f, text):
    h1 = bd.squash(f.css("h1").text)
    if bd.nfc(text).lower() not in h1.lower():
        raise bd.CheckFailed(f"{f.d.current_url}: heading is {h1!r}, expected {text!r}")
    say(f"   {f.d.current_url.replace(bd.BASE, '')}: {h1!r}")


def journey(f):
    uuid = r"[0-9A-Fa-f-]{36}"
    say("1. sign in and the home page")
    f.sign_in(ADMIN)
    f.open("/")

    say("2. users")
    f.open("/admin/users")
    expect_h1(f, "người dùng")
    follow_first(f, rf"/admin/users/{uuid}", "user page")
    f.open("/admin/users/new")

    say("3. agencies and units")
    f.open("/admin/agencies")
    expect_h1(f, "ơ quan")
    agency = follow_first(f, rf"/admin/agencies/{uuid}", "agency page")
    f.open(agency + "/edit")
    f.open(agency)
    units = [a.get_attribute("href") for a in f.d.find_elements(f.By.CSS_SELECTOR, "main a[href*='/admin/units/']")]
    if units:
        f.open(re.sub(r"^https?://[^/]+", "", units[0]))

    say("4. audit log")
    f.open("/admin/audit")
    expect_h1(f, "hật ký")
    f.open("/admin/audit?q=sign")

    say("5. holidays and procedures")
    f.open("/admin/holidays")
    f.open("/admin/procedures")
    try:
        follow_first(f, rf"/admin/procedures/{uuid}/edit", "procedure edit form")
    except bd.CheckFailed:
        say("   the administrator's agency lists no procedure to edit (the catalogue is per agency)")
    f.open("/admin/procedures/new")

    say("6. background jobs")
    f.open("/admin/jobs")
    expect_h1(f, "Tác vụ nền")
    f.open("/account")


def main():
    try:
        from selenium.common.exceptions import TimeoutException, WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError as e:
        say(f"ERROR: selenium is missing ({e}); run scripts/install-deps --browser")
        return 2
    t0 = time.monotonic()
    try:
        driver = bd.browser_checks.start_chrome(say)
    except Exception as e:
        say(f"ERROR: cannot start headless chromium: {bd.short(e)}")
        return 2
    f = bd.Flow(driver, By, EC, Select, WebDriverWait, TimeoutException, WebDriverException)
    f.checks = bd.browser_checks.PageChecks(driver, "admin", say)
    try:
        journey(f)
        bad = f.checks.report()
    except (bd.CheckFailed, WebDriverException) as e:
        say(f"FAIL ({'signed in as ' + f.who if f.who else 'not signed in'}): {bd.short(e)}")
        say(f"page: url={driver.current_url!r} text={bd.squash(f.body_text())[:500]!r}")
        f.checks.report()
        return 1
    finally:
        driver.quit()
    if bad:
        return 1
    say(f"OK: the administrator's pages open and pass the page checks in {time.monotonic() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
