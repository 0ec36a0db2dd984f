#!/usr/bin/env python3
"""Send a running EGov server the raw requests a browser never sends, and check that it lives.

Over a plain socket (so nothing is cleaned up on the way): bad percent-encoding, `..` in
every spelling, NUL bytes, huge and negative numbers in every numeric parameter, overlong
paths and headers, many headers, broken cookies, bearer tokens and ranges, odd methods —
against the static files, the pages and the API, anonymous and signed in (a clerk and the
system administrator, by API token and by web session).

After each request `/healthz` must answer 200. A request fails the run when its answer is
a 5xx, when a file outside Public/ is served, or when the server stops answering. A
connection closed without an answer counts as a refusal only for requests that break
HTTP itself (an overlong header, a bad request line).

Env: EGOV_URL (http://127.0.0.1:8080), EGOV_DEMO_PASSWORD (EGov@2026demo).
Exit codes: 0 ok, 1 a check failed, 2 setup error. Prints "N passed, N failed" at the end.
"""
import json
import os
import re
import socket
import sys
import time
import urllib.parse
import urllib.request

BASE = os.environ.get("EGOV_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = os.environ.get("EGOV_DEMO_PASSWORD", "EGov@2026demo")
url = urllib.parse.urlsplit(BASE)
HOST, PORT = url.hostname, url.port or 80
TIMEOUT = 15

HUGE = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "-1", "0",
        "1e309", "NaN", "%ff", "%00", "1%00", "", "%", "1.5", "0x10", "١٢٣"]
# Every parameter a listing or a calendar reads as a number, a date or an id.
NUMERIC = {
    "/api/v1/dossiers": ["page", "status"],
    "/api/v1/inbox": ["page"],
    "/api/v1/incoming-documents": ["page", "year", "state"],
    "/api/v1/outgoing-documents": ["page", "state"],
    "/api/v1/documents/search": ["page", "from", "to", "unit"],
    "/api/v1/procedures": ["page", "online_level"],
    "/api/v1/calendar/holidays": ["year"],
    "/api/v1/calendar/working-days": ["from", "days"],
    "/api/v1/calendar/overrides": ["year"],
    "/api/v1/dossier-statistics": ["from", "to", "year", "agency"],
    "/api/v1/users": ["agency_id"],
    "/api/v1/audit": ["page", "from", "to"],
    "/inbox": ["page"],
    "/documents/incoming": ["page", "year"],
    "/documents/outgoing": ["page"],
    "/documents/search": ["page", "from", "to"],
    "/one-stop/dossiers": ["page", "status"],
    "/admin/holidays": ["year"],
    "/admin/audit": ["page", "from", "to"],
    "/portal/procedures": ["page"],
    "/portal/statistics": ["from", "to", "year"],
    "/work-files": ["year"],
}


def raw(request: bytes, expect_answer=True):
    """Sends bytes, returns (status or None, head, body)."""
    with socket.create_connection((HOST, PORT), timeout=TIMEOUT) as s:
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            return None, b"", b""
        data = b""
        s.settimeout(TIMEOUT)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head, _, body = data.partition(b"\r\n\r\n")
                    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                    if m and len(body) >= int(m.group(1)):
                        break
                    if not m and b"transfer-encoding: chunked" not in head.lower():
                        break
                    if body.endswith(b"0\r\n\r\n"):
                        break
        except (socket.timeout, ConnectionResetError):
            pass
    if not data:
        return None, b"", b""
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(m.group(1)) if m else None), head, body


def request(method, target, headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1".encode("latin-1", "surrogateescape") if isinstance(target, str) else
             method.encode() + b" " + target + b" HTTP/1.1", f"Host: {HOST}:{PORT}".encode(), b"Connection: close"]
    for h in headers:
        lines.append(h if isinstance(h, bytes) else h.encode("utf-8"))
    if body:
        lines.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def healthy():
    for _ in range(3):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=TIMEOUT) as r:
                if r.status == 200:
                    return True
        except Exception:
            time.sleep(0.5)
    return False


def api_token(username):
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    req = urllib.request.Request(BASE + "/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
        return json.load(r)["access_token"]


def web_session(username):
    """Signs in through the form; returns the session cookie."""
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(BASE + "/sign-in", timeout=TIMEOUT).read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "next": "/", "_csrf": csrf}).encode()
    opener.open(BASE + "/sign-in", data=form, timeout=TIMEOUT).read()
    cookie = next((c for c in jar if c.name == "egov_session"), None)
    if cookie is None:
        raise RuntimeError(f"no session cookie after signing in {username}")
    return f"egov_session={cookie.value}"


def main():
    if not healthy():
        print(f"[fuzz] {BASE}/healthz does not answer 200: start the demo server first", file=sys.stderr)
        return 2
    try:
        clerk, admin = api_token("quangninh.vanthu"), api_token("admin")
        clerk_cookie, admin_cookie = web_session("quangninh.vanthu"), web_session("admin")
    except Exception as e:
        print(f"[fuzz] could not sign in the demo accounts: {e}", file=sys.stderr)
        return 2

    cases = []  # (label, bytes, may_close_without_answer)
    statics = [b"/css/%ff", b"/css/..%2f..%2fPackage.swift", b"/css/..%2F..%2FPackage.swift", b"/css/%2e%2e/%2e%2e/Package.swift",
               b"/css/....//....//Package.swift", b"/css/..\\..\\Package.swift", b"/css/%00", b"/css/app.css%00.txt", b"/css/%",
               b"/css/%zz", b"/css/%c0%ae%c0%ae/Package.swift", b"/css/app.css/..", b"/css/app.css/x", b"/favicon.svg/%ff", b"/css//../../Package.swift",
               b"/css/" + b"a" * 4000, b"/%ff", b"/..", b"/../Package.swift", b"/%2e%2e/Package.swift"]
    for path in statics:
        cases.append((f"static {path[:60]!r}", request("GET", path), False))
        cases.append((f"static HEAD {path[:60]!r}", request("HEAD", path), False))
    pages = [b"/", b"/sign-in?next=%ff", b"/sign-in?next=//evil.example", b"/documents/incoming/%ff", b"/documents/incoming/not-a-uuid",
             b"/portal/dossiers/%00", b"/portal/lookup?code=%ff&contact=%ff", b"/portal/procedures/%ff", b"/api/v1/dossiers/%ff",
             b"/api/v1/procedures/..%2f..", b"/api/v1/lookup?code=" + b"9" * 5000, b"/api/v1/%00", b"/?" + b"a=1&" * 3000,
             b"/documents/search?q=" + b"%e1%ba%a1" * 2000, b"/api/v1/calendar/working-days?from=9999-12-31&days=3650",
             b"/api/v1/calendar/working-days?from=0000-00-00&days=1", b"/portal/statistics?year=-9223372036854775808"]
    for path in pages:
        for who, headers in (("anonymous", []), ("clerk", [f"Cookie: {clerk_cookie}", f"Authorization: Bearer {clerk}"]),
                             ("admin", [f"Cookie: {admin_cookie}", f"Authorization: Bearer {admin}"])):
            cases.append((f"{who} GET {path[:70]!r}", request("GET", path, headers), False))
    for path, params in NUMERIC.items():
        for who, headers in (("clerk", [f"Cookie: {clerk_cookie}", f"Authorization: Bearer {clerk}"]),
                             ("admin", [f"Cookie: {admin_cookie}", f"Authorization: Bearer {admin}"])):
            for param in params:
                for value in HUGE:
                    # Non-ASCII goes percent-encoded, as a browser sends it; raw bytes are tried below.
                    encoded = value.encode() if value.isascii() else urllib.parse.quote(value).encode()
                    q = (b"q=a&" if "search" in path else b"") + param.encode() + b"=" + encoded
                    cases.append((f"{who} {path}?{param}={value}", request("GET", path.encode() + b"?" + q, headers), False))
    headers_cases = [
        ("overlong header", [b"X-Long: " + b"a" * 200_000], True),
        ("overlong cookie", [b"Cookie: egov_session=" + b"a" * 100_000], True),
        ("many headers", [f"X-H{i}: {i}".encode() for i in range(2000)], True),
        ("garbage session cookie", [b"Cookie: egov_session=%ff%00;;;=="], False),
        ("cookie with NUL", [b"Cookie: egov_session=\x00\x00"], True),
        ("bearer garbage", [b"Authorization: Bearer %ff.%ff.%ff"], False),
        ("bearer huge", [b"Authorization: Bearer " + b"a" * 60_000], True),
        ("basic auth", [b"Authorization: Basic Zm9vOmJhcg=="], False),
        ("bad accept", [b"Accept: ;;;/;q=x"], False),
        ("bad accept-language", [b"Accept-Language: " + b"vi;q=" * 1000], False),
        ("range past the end", [b"Range: bytes=99999999999999999999-"], False),
        ("range backwards", [b"Range: bytes=50-10"], False),
        ("range many", [b"Range: bytes=" + b",".join(b"0-1" for _ in range(500))], False),
        ("if-modified-since garbage", [b"If-Modified-Since: %ff"], False),
        ("if-none-match garbage", [b"If-None-Match: \"\x01\""], True),
        ("x-forwarded-for garbage", [b"X-Forwarded-For: %ff, ::::, 999.999.999.999"], False),
        ("x-request-id overlong", [b"X-Request-Id: " + b"r" * 10_000], False),
        ("utf-8 header", ["X-Name: Nguyễn Văn A"], False),
    ]
    for label, hs, may_close in headers_cases:
        for path in (b"/css/app.css", b"/", b"/api/v1/me", b"/api/v1/procedures", b"/portal/lookup"):
            cases.append((f"{label} on {path.decode()}", request("GET", path, hs), may_close))
    bodies = [
        ("json garbage", "/api/v1/auth/token", ["Content-Type: application/json"], b"{\"username\":"),
        ("json deep", "/api/v1/auth/token", ["Content-Type: application/json"], b"[" * 10_000 + b"]" * 10_000),
        ("json wrong types", "/api/v1/auth/token", ["Content-Type: application/json"], b"{\"username\":1,\"password\":[]}"),
        ("form garbage", "/sign-in", ["Content-Type: application/x-www-form-urlencoded"], b"%ff=%ff&&&==&_csrf=%00"),
        ("multipart no boundary", "/api/v1/incoming-documents", ["Content-Type: multipart/form-data", f"Authorization: Bearer {clerk}"], b"--x\r\n\r\n"),
        ("multipart broken", "/api/v1/incoming-documents", ["Content-Type: multipart/form-data; boundary=x", f"Authorization: Bearer {clerk}"],
         b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%ff\"\r\n\r\nabc"),
        ("big json", "/api/v1/incoming-documents", ["Content-Type: application/json", f"Authorization: Bearer {clerk}"],
         b"{\"subject\":\"" + b"a" * 2_000_000 + b"\"}"),
        ("lookup post garbage", "/portal/lookup", ["Content-Type: application/x-www-form-urlencoded"], b"code=%ff&contact=" + b"9" * 10_000),
        ("xml body", "/api/v1/dossiers", ["Content-Type: application/xml", f"Authorization: Bearer {clerk}"], b"<x/>"),
    ]
    for label, path, hs, body in bodies:
        cases.append((f"POST {label} {path}", request("POST", path, hs, body), True))
    # An unknown method breaks HTTP for the parser, which may just close the connection.
    for method in ["OPTIONS", "TRACE", "PROPFIND", "DELETE", "PUT", "PATCH", "FOO"]:
        for path in ["/", "/css/app.css", "/api/v1/me", "/api/v1/dossiers"]:
            cases.append((f"{method} {path}", request(method, path, [f"Authorization: Bearer {clerk}"]), method == "FOO"))
    cases.append(("raw UTF-8 in the target", "GET /api/v1/procedures?q=Nguyễn HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(), True))
    cases.append(("bad request line", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", True))
    cases.append(("HTTP/0.9 style", b"GET /\r\n\r\n", True))
    cases.append(("no host", b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", False))
    cases.append(("chunked garbage", b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                     b"Content-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", True))
    cases.append(("content-length lie", b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n"
                                        b"Connection: close\r\n\r\n{}", True))

    passed = failed = 0
    t0 = time.time()
    for label, data, may_close in cases:
        problem = None
        try:
            status, head, body = raw(data)
        except OSError as e:
            status, head, body = None, b"", b""
            problem = None if may_close else f"no answer ({e})"
        if problem is None:
            if status is None and not may_close:
                problem = "connection closed without an answer"
            elif status is not None and status >= 500:
                problem = f"HTTP {status}: {body[:200]!r}"
            elif b"swift-tools-version" in body:
                problem = "served Package.swift"
        if not healthy():
            problem = (problem + "; " if problem else "") + "the server no longer answers /healthz"
            print(f"FAIL {label}: {problem}")
            failed += 1
            break
        if problem:
            print(f"FAIL {label}: {problem}")
            failed += 1
        else:
            passed += 1
    print(f"[fuzz] {len(cases)} requests in {time.time() - t0:.1f}s")
    print(f"fuzz: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
