#!/usr/bin/env python3
"""bench/loop.py - measurements ingest, the way a data pipeline sends them.

    loop.py URL TOKEN PRFAQ_ID BATCHES USER_ID CSV_OUT

POSTs BATCHES batches of 1,000 new points (two metrics of the fixture,
a second apart, source "bench") to /v1/prfaqs/PRFAQ_ID/measurements, one
after the other on one keep-alive connection, and prints

    BENCH_LOOP {"points": N, "seconds": S, "points_per_s": R,
                "batch_ms_p50": .., "batch_ms_p99": .., "created": ..}

It also writes the same rows as CSV (prfaq_id, metric, at, source, value,
recorded_by) to CSV_OUT for bench/run's COPY of the same data: the bodies
are built before the clock starts, so only the server is timed.
"""
import http.client
import json
import sys
import time
import urllib.parse

BATCH = 1000
METRICS = ("repeat-returners", "refund-seconds")
START = 1767225600  # 2026-01-01T00:00:00Z


def stamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    url, token, pid, batches, user, csv_out = sys.argv[1:7]
    batches = int(batches)
    u = urllib.parse.urlsplit(url)
    bodies = []
    with open(csv_out, "w") as csv:
        for b in range(batches):
            items = []
            for i in range(BATCH):
                n = b * BATCH + i
                at = stamp(START + n // 2)
                metric = METRICS[n % 2]
                value = round(30 + (n % 997) * 0.01, 2)
                items.append({"metric": metric, "value": value, "at": at,
                              "source": "bench"})
                csv.write(f"{pid},{metric},{at},bench,{value},{user}\n")
            bodies.append(json.dumps({"items": items}).encode())
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    headers = {"Authorization": "Bearer " + token,
               "Content-Type": "application/json"}
    path = f"/v1/prfaqs/{pid}/measurements"
    lat, created = [], 0
    t0 = time.perf_counter()
    for body in bodies:
        s = time.perf_counter()
        conn.request("POST", path, body, headers)
        r = conn.getresponse()
        data = r.read()
        lat.append((time.perf_counter() - s) * 1000)
        if r.status != 200:
            sys.exit(f"POST measurements: {r.status} {data[:300]!r}")
        created += json.loads(data)["created"]
    secs = time.perf_counter() - t0
    lat.sort()
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print("BENCH_LOOP " + json.dumps({
        "points": batches * BATCH, "seconds": round(secs, 3),
        "points_per_s": round(batches * BATCH / secs),
        "batch_ms_p50": round(pick(0.5), 2),
        "batch_ms_p99": round(pick(0.99), 2), "created": created},
        separators=(",", ":")))


if __name__ == "__main__":
    main()
