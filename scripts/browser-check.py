#!/usr/bin/env python3
"""Sign in to a running EGov server with a real (headless) browser.

Opens ${EGOV_URL:-http://127.0.0.1:8080}/sign-in, saves a screenshot of the sign-in page,
types the demo system admin's credentials into the fields named `username` and `password`,
clicks `#sign-in-submit`, waits up to 15 s for `#current-user`, saves a screenshot, and
exits 0 only if `#current-user`'s text contains the expected full name.

Env: EGOV_URL, EGOV_DEMO_USER (admin), EGOV_DEMO_PASSWORD (EGov@2026demo),
     EGOV_DEMO_NAME (Nguyễn Quản Trị), EGOV_SCREENSHOT (.ci-work/signed-in.png; the
     sign-in page goes to sign-in.png in the same folder), CHROMIUM_BIN (/usr/bin/chromium),
     CHROMEDRIVER_BIN (/usr/bin/chromedriver), EGOV_BROWSER_TIMEOUT (15).
Needs: scripts/install-deps --browser.   Exit codes: 0 ok, 1 check failed, 2 setup error.
"""
import os
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_checks  # noqa: E402  (overflow, axe-core and screenshots on every page)

# Never let Selenium Manager try to download drivers/browsers: there is no network for it.
os.environ.setdefault("SE_OFFLINE", "true")

BASE = os.environ.get("EGOV_URL", "http://127.0.0.1:8080").rstrip("/")
USER = os.environ.get("EGOV_DEMO_USER", "admin")
PASSWORD = os.environ.get("EGOV_DEMO_PASSWORD", "EGov@2026demo")
NAME = os.environ.get("EGOV_DEMO_NAME", "Nguyễn Quản Trị")
SHOT = os.environ.get("EGOV_SCREENSHOT", ".ci-work/signed-in.png")
SHOT_SIGNIN = os.path.join(os.path.dirname(SHOT) or ".", "sign-in.png")
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
DRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
TIMEOUT = float(os.environ.get("EGOV_BROWSER_TIMEOUT", "15"))


def say(msg):
    print(f"[browser-check] {msg}", flush=True)


def nfc(s):
    return unicodedata.normalize("NFC", s or "")


def short(e):
    """Selenium's message without chromedriver's stack trace."""
    msg = getattr(e, "msg", None) or str(e)
    return msg.split("\n")[0].strip()


def page_summary(driver):
    try:
        body = driver.find_element("tag name", "body").text
    except Exception:
        body = ""
    body = " ".join(body.split())
    return f"url={driver.current_url!r} title={driver.title!r} text={body[:400]!r}"


def console_errors(driver):
    try:
        return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:
        return []


def main():
    try:
        from selenium import webdriver
        from selenium.common.exceptions import NoSuchElementException, TimeoutException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError as e:
        say(f"ERROR: selenium is not importable ({e}); run scripts/install-deps --browser")
        return 2
    for path in (CHROMIUM, DRIVER):
        if not os.access(path, os.X_OK):
            say(f"ERROR: {path} missing; run scripts/install-deps --browser")
            return 2

    os.makedirs(os.path.dirname(SHOT) or ".", exist_ok=True)
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
        f"{driver.capabilities.get('browserVersion')} in {time.monotonic() - t0:.1f}s")
    try:
        url = f"{BASE}/sign-in"
        say(f"opening {url}")
        try:
            driver.get(url)
        except Exception as e:
            say(f"FAIL: cannot load {url}: {short(e)}")
            return 1
        driver.save_screenshot(SHOT_SIGNIN)
        say(f"sign-in page: title={driver.title!r}; screenshot {SHOT_SIGNIN}")
        checks = browser_checks.PageChecks(driver, "sign-in", say)
        checks.check()

        try:
            user_field = driver.find_element(By.NAME, "username")
            pass_field = driver.find_element(By.NAME, "password")
            submit = driver.find_element(By.ID, "sign-in-submit")
        except NoSuchElementException as e:
            say(f"FAIL: sign-in form incomplete (need name=username, name=password, "
                f"id=sign-in-submit): {short(e)}")
            say(f"page: {page_summary(driver)}")
            return 1
        user_field.clear()
        user_field.send_keys(USER)
        pass_field.clear()
        pass_field.send_keys(PASSWORD)
        say(f"signing in as {USER!r} (clicking #sign-in-submit)")
        submit.click()

        try:
            el = WebDriverWait(driver, TIMEOUT).until(
                EC.visibility_of_element_located((By.CSS_SELECTOR, "#current-user")))
        except TimeoutException:
            driver.save_screenshot(SHOT)
            say(f"FAIL: no visible #current-user within {TIMEOUT:g}s after signing in; "
                f"screenshot {SHOT}")
            say(f"page: {page_summary(driver)}")
            for e in console_errors(driver):
                say(f"browser console: {e.get('message')}")
            return 1
        text = el.text
        driver.save_screenshot(SHOT)
        say(f"signed in: url={driver.current_url!r} title={driver.title!r}; screenshot {SHOT}")
        for e in console_errors(driver):
            say(f"browser console error: {e.get('message')}")
        if nfc(NAME) not in nfc(text):
            say(f"FAIL: #current-user text is {text!r}, expected it to contain {NAME!r}")
            return 1
        say(f"OK: #current-user shows {text!r}")
        checks.check(who=USER)
        return 1 if checks.report() else 0
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
