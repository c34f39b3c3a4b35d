#!/usr/bin/env python3
"""tests/haproxy/load.py: a mixed load through HAProxy for tests/haproxy/run.

    load.py BASE_URL TOKEN STOP_FILE OUT_FILE [THREADS]

THREADS workers (default 6) each own a PR/FAQ and loop over: GET it by id,
list, PUT it (If-Match), POST a new one with an Idempotency-Key, and POST
one without, until STOP_FILE exists.  Each request is one JSON line in
OUT_FILE: wall-clock start and end, method, kind (get, list, put, post_key,
post), status (0: no HTTP answer within 15 s).  After a 412 the worker reads
its document's version again.  Only the standard library, only BASE_URL.
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(method, url, token, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with OPENER.open(req, timeout=15) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:
        return 0, b""


def worker(n, base, token, stop_file, out, lock):
    def record(kind, method, t0, status, raw):
        rec = {"start": t0, "end": time.time(), "kind": kind, "method": method, "status": status}
        if not 200 <= status < 300:
            rec["body"] = raw[:200].decode("utf-8", "replace")
        with lock:
            out.write(json.dumps(rec) + "\n")
            out.flush()

    doc, version, i = None, 0, 0
    while doc is None and not os.path.exists(stop_file):
        status, raw = call("POST", base + "/v1/prfaqs", token, {"title": "Balanced %d" % n},
                           {"Idempotency-Key": str(uuid.uuid4())})
        if status == 201:
            got = json.loads(raw)
            doc, version = got["id"], got["version"]
    while not os.path.exists(stop_file):
        i += 1
        t0 = time.time()
        status, raw = call("GET", base + "/v1/prfaqs/" + doc, token)
        record("get", "GET", t0, status, raw)
        t0 = time.time()
        status, raw = call("GET", base + "/v1/prfaqs?limit=20", token)
        record("list", "GET", t0, status, raw)
        t0 = time.time()
        status, raw = call("PUT", base + "/v1/prfaqs/" + doc, token,
                           {"title": "Balanced %d, %d" % (n, i), "content": {}},
                           {"If-Match": '"%d"' % version})
        record("put", "PUT", t0, status, raw)
        if status == 200:
            version = json.loads(raw)["version"]
        else:
            # Learn the current version again (a repeated PUT that had
            # committed answers 412).
            s, r = call("GET", base + "/v1/prfaqs/" + doc, token)
            if s == 200:
                version = json.loads(r)["version"]
        t0 = time.time()
        status, raw = call("POST", base + "/v1/prfaqs", token, {"title": "Keyed %d-%d" % (n, i)},
                           {"Idempotency-Key": str(uuid.uuid4())})
        record("post_key", "POST", t0, status, raw)
        t0 = time.time()
        status, raw = call("POST", base + "/v1/prfaqs", token, {"title": "Plain %d-%d" % (n, i)})
        record("post", "POST", t0, status, raw)


def main():
    base, token, stop_file, out_file = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 6
    lock = threading.Lock()
    with open(out_file, "w") as out:
        ws = [threading.Thread(target=worker, args=(i, base, token, stop_file, out, lock))
              for i in range(threads)]
        for w in ws:
            w.start()
        for w in ws:
            w.join()


if __name__ == "__main__":
    main()
