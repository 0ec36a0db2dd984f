#!/usr/bin/env python3
"""Helper of scripts/bench-portal (issue 4): seeds synthetic dossiers straight into the database,
writes the look-up sample for wrk, measures the statistics and prints the summary table.

    bench_portal.py seed --dossiers N --sqlite FILE | --postgres URL --lookups OUT.txt
    bench_portal.py applicant-token --url URL --out TOKEN.txt
    bench_portal.py latency --url URL --results R.json --key K --path P [--connections C --seconds S]
    bench_portal.py report R.json... [--out FILE]

Reuses bench_documents.py (database adapters and bulk loading, latency client, results files, report
table, wrk parsing, notes). Standard library only.
"""
import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import random
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_documents as bd  # noqa: E402

VN = bd.VN
# Status mix of a dossier by its age: old ones are mostly returned; young ones still moving.
OLD = [(10, 80), (3, 5), (7, 3), (8, 2), (9, 4), (4, 6)]
YOUNG = [(1, 15), (2, 15), (4, 40), (5, 8), (6, 4), (9, 8), (10, 10)]


def load_procedures(db):
    rows = db.query("SELECT p.id AS id, p.agency_id AS agency_id, p.code AS code, p.time_limit_days AS days, a.code AS agency_code "
                    "FROM procedures p JOIN agencies a ON a.id = p.agency_id WHERE p.status = 'active'")
    norm = (lambda v: str(v).upper()) if db.kind == "sqlite" else str
    for r in rows:
        r["id"], r["agency_id"], r["days"] = norm(r["id"]), norm(r["agency_id"]), int(r["days"])
    return rows


def seed(args):
    db = bd.SQLiteDB(args.sqlite) if args.sqlite else bd.PostgresDB(args.postgres)
    procedures = load_procedures(db)
    if not procedures:
        sys.exit("no active procedure: was the server started with --demo?")
    by_agency = {}
    for p in procedures:
        by_agency.setdefault(p["agency_code"], []).append(p)
    agencies = sorted(by_agency)
    rng = random.Random(args.seed)
    today = dt.datetime.now(VN).date()
    days = 730
    columns = db.columns("dossiers")
    cols = [c["name"] for c in columns]
    filler = {c["name"]: bd.fill_value(c) for c in columns}
    old_status, young_status = bd.Weighted(OLD, rng), bd.Weighted(YOUNG, rng)
    lookups = []
    sample_rate = min(1.0, 20_000 / max(1, args.dossiers))
    per_day = args.dossiers / (days * len(agencies))
    bd.log(f"seeding {args.dossiers:,} dossiers over {days} days before {today} in {', '.join(agencies)} (~{per_day:.0f} a day each)")
    started = time.time()

    def rows():
        produced = 0
        for index in range(args.dossiers):
            agency = agencies[index % len(agencies)]
            # Spread evenly over the days, oldest first, so each agency's day sequence stays short.
            day = today - dt.timedelta(days=days - (index * days) // args.dossiers)
            seq = sequences.setdefault((agency, day), 0) + 1
            sequences[(agency, day)] = seq
            p = rng.choice(by_agency[agency])
            submitted = dt.datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59), tzinfo=VN)
            age = (today - day).days
            status = (old_status if age > 60 else young_status).pick()
            channel = rng.choices(["online", "in_person", "post"], [45, 45, 10])[0]
            accepted = status not in (1, 3) and not (status == 7 and rng.random() < 0.5)
            accepted_at = submitted + dt.timedelta(hours=rng.randint(1, 20)) if accepted else None
            promised = (day + dt.timedelta(days=p["days"] * 7 // 5 + 1)) if accepted else None
            finished = status in (8, 9, 10)
            late = finished and rng.random() < 0.12
            finished_day = (promised + dt.timedelta(days=rng.randint(1, 5))) if late else (
                promised - dt.timedelta(days=rng.randint(0, max(0, p["days"] // 3)))) if finished and promised else None
            finished_at = dt.datetime(finished_day.year, finished_day.month, finished_day.day, 10, 0, tzinfo=VN) if finished_day else None
            phone = f"09{rng.randint(0, 99_999_999):08d}"
            identity = f"0{rng.randint(0, 99_999_999_999):011d}"
            code = f"{agency}-{day.strftime('%y%m%d')}-{seq:04d}"
            if rng.random() < sample_rate:
                lookups.append((code, phone if rng.random() < 0.5 else identity))
            row = dict(filler)
            row.update({
                "id": str(uuid.uuid4()).upper() if db.kind == "sqlite" else str(uuid.uuid4()),
                "agency_id": p["agency_id"], "procedure_id": p["id"], "code": code, "channel": channel, "status": status,
                "applicant_id": None, "applicant_kind": "citizen", "applicant_name": f"Người nộp {index}",
                "applicant_identity": identity, "applicant_phone": phone, "applicant_email": "", "applicant_address": "Hạ Long, Quảng Ninh",
                "form_values": "{}", "submitted_at": submitted, "entered_by_id": None, "accepted_at": accepted_at,
                "promised_date": promised.isoformat() if promised else None, "due_date": promised.isoformat() if promised else None,
                "supplement_requests": 1 if status == 5 else 0, "paused_since": day.isoformat() if status == 5 else None,
                "step_index": 0 if status in (4, 5, 6) else -1, "holder_agency_id": p["agency_id"], "holder_unit_id": None,
                "step_started_at": accepted_at if status in (4, 5, 6) else None, "step_due_date": None,
                "fee_owed": 0, "fee_paid": 0, "finished_at": finished_at,
                "result_returned_at": finished_at if status == 10 else None,
                "timeliness": ("late" if late else rng.choice(["early", "on_time"])) if finished_at and status != 8 else None,
                "apology_date": None, "apology_reason": None, "reason": "", "created_at": submitted, "updated_at": submitted,
            })
            produced += 1
            if produced % 200_000 == 0:
                bd.log(f"{produced:,} generated ({time.time() - started:.0f} s)")
            yield row

    sequences = {}
    # A NOT NULL column with a default that the generator does not know keeps its default.
    source = rows()
    first = next(source)
    defaulted = {c["name"] for c in columns if c["notnull"] and c["default"] is not None}
    cols = [c for c in cols if not (c in defaulted and first.get(c) is None)]
    bulk_load(db, "dossiers", cols, itertools.chain([first], source))
    with open(args.lookups, "w") as f:
        for code, contact in lookups:
            f.write(f"/api/v1/lookup?code={code}&contact={contact}\n")
    bd.log(f"{len(lookups):,} look-ups written to {args.lookups}")
    if db.kind == "sqlite":
        db.db.execute("ANALYZE")
        db.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.db.close()
    else:
        db.psql("-c", "VACUUM ANALYZE dossiers")
    bd.log(f"seeded in {time.time() - started:.0f} s")


def bulk_load(db, table, cols, source):
    """Loads rows into an emptied table with its secondary indexes dropped and rebuilt after."""
    t = time.time()
    if db.kind == "sqlite":
        con = db.db
        con.execute("BEGIN")
        con.execute(f"DELETE FROM {bd.quote(table)}")
        dropped = db.drop_secondary_indexes([table])
        db.insert(table, cols, source)
        for create in dropped:
            con.execute(create)
        con.execute("COMMIT")
    else:
        indexes = db.query(f"SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                           f"WHERE x.indrelid = '{table}'::regclass AND NOT x.indisprimary AND NOT x.indisunique")
        stream = bd.CopyStream(db)
        stream.write(f"TRUNCATE {bd.quote(table)} CASCADE;\n")
        for ix in indexes:
            stream.write(f"DROP INDEX {bd.quote(ix['name'])};\n")
        stream.copy(table, cols, source)
        for ix in indexes:
            stream.write(ix["def"] + ";\n")
        stream.commit()
    bd.log(f"{table}: loaded and indexed in {time.time() - t:.0f} s")


def applicant_token(args):
    host, port = bd.split_url(args.url)
    con = http.client.HTTPConnection(host, port, timeout=60)
    con.request("POST", "/api/v1/portal/auth/token", body=json.dumps({"login": args.login, "password": args.password}),
                headers={"Content-Type": "application/json"})
    res = con.getresponse()
    body = res.read()
    if res.status != 200:
        sys.exit(f"applicant sign-in failed: {res.status} {body[:200]!r}")
    with open(args.out, "w") as f:
        f.write(json.loads(body)["access_token"])


def latency(args):
    host, port = bd.split_url(args.url)
    results = bd.load_results(args.results)
    lat, err, rows, elapsed = bd.measure(host, port, args.path, None, args.connections, args.seconds)
    s = bd.summarize(lat, elapsed, err, rows)
    s["path"] = args.path
    results[args.key] = s
    bd.save_results(args.results, results)
    bd.log(f"{args.key} {args.path}: p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms ({s['n']} requests)")


def report(args):
    table = bd.Table(58, [("req/s", 9, ".1f"), ("÷bare", 7, ".2f%"), ("p50 ms", 8, ".1f"), ("p99 ms", 8, ".1f")])

    def run(r, w, verdicts):
        bare = r["bare"]["rps"]
        w("")
        w(f"== EGov portal benchmark: {r['database']}, {r['dossiers']:,} dossiers, binary {r['binary']}, {r['cores']} cores "
          f"shared by server, load generators and database; seed {r['seed_seconds']} s"
          + (f"; wrk at nice {r['wrk_nice']}" if "wrk_nice" in r else ""))
        w(table.header())
        def row(name, s, p99_key="p99"):
            w(table.row(name, s["rps"], bd.share(s["rps"], bare), s["p50"], s[p99_key])
              + (f"  !! {s['non2xx']} non-2xx" if s.get("non2xx") else "") + (f"  !! {s['errors']} errors" if s.get("errors") else ""))
        row(f"GET /healthz, bare route (wrk, {r['bare']['connections']} connections)", r["bare"])
        if "bare_lookup" in r:
            row(f"GET /healthz, bare route (wrk, {r['bare_lookup']['connections']} connections)", r["bare_lookup"])
        row(f"GET /api/v1/lookup by code + contact (wrk, {r['lookup']['connections']} connections)", r["lookup"])
        if "lookup_few" in r:
            row(f"GET /api/v1/lookup by code + contact (wrk, {r['lookup_few']['connections']} connections)", r["lookup_few"])
        row(f"POST /api/v1/portal/dossiers with 2 files (wrk, {r['submit']['connections']} connections)", r["submit"])
        for key, name in (("stats_api", "GET /api/v1/statistics/dossiers (this year)"), ("stats_page", "GET /portal/statistics (page, SVG)")):
            if key in r:
                row(f"{name} ({r['lat_connections']} clients)", r[key])
        if r.get("audit"):
            w(f"   audit chain after the run: {r['audit']}")
        lk = r["lookup"]
        ok = lk["p99"] < r["lookup_target"] and not lk.get("non2xx")
        verdicts.append(f"{r['database']} at {r['dossiers']:,} dossiers: look-up p99 {lk['p99']:.1f} ms {'PASS' if ok else 'FAIL'} "
                        f"(target {r['lookup_target']} ms, {lk['rps']:,.0f}/s = {bd.share(lk['rps'], bare):.1f}% of the bare route's "
                        f"{bare:,.0f}/s"
                        + (f"; bare route at {r['bare_lookup']['connections']} connections: p99 {r['bare_lookup']['p99']:.1f} ms" if "bare_lookup" in r else "")
                        + (f"; at {r['lookup_few']['connections']} connections: p50 {r['lookup_few']['p50']:.1f} ms, p99 {r['lookup_few']['p99']:.1f} ms"
                           if "lookup_few" in r else "")
                        + f"); submissions {r['submit']['rps']:,.1f}/s"
                        + (f"; statistics p99 {r['stats_api']['p99']:.0f} ms" if "stats_api" in r else ""))

    bd.write_report(args.results, args.out, run,
                    "== verdict (target: public look-up p99 < 50 ms under 100 concurrent clients at 1,000,000 dossiers)")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--dossiers", type=int, required=True)
    p.add_argument("--sqlite")
    p.add_argument("--postgres")
    p.add_argument("--lookups", required=True)
    p.add_argument("--seed", type=int, default=61)
    p = sub.add_parser("applicant-token")
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--login", default="congdan@egov.local")
    p.add_argument("--password", default="EGov@2026demo")
    p = sub.add_parser("latency")
    p.add_argument("--url", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--path", required=True)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--seconds", type=float, default=5)
    p = sub.add_parser("report")
    p.add_argument("--out")
    p.add_argument("results", nargs="+")
    args = ap.parse_args()
    if args.cmd == "seed" and bool(args.sqlite) == bool(args.postgres):
        ap.error("seed needs one of --sqlite FILE or --postgres URL")
    {"seed": seed, "applicant-token": applicant_token, "latency": latency, "report": report}[args.cmd](args)


if __name__ == "__main__":
    main()
