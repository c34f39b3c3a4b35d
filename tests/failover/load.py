#!/usr/bin/env python3
"""tests/failover/load.py: a steady write load on prfaqd that records what
every request got, for tests/failover/run.

    load.py BASE_URL TOKEN STOP_FILE OUT_FILE [THREADS]

THREADS workers (default 4) each create a PR/FAQ and revise it with PUT and
If-Match, ten revisions a document, until STOP_FILE exists.  After any
answer that is not a 2xx a worker starts over with a new document, so a
write whose outcome was unknown (503) never turns into a 412 later.  Each
request is one JSON line in OUT_FILE: wall-clock start and end (seconds),
op (create/revise), status (0: no answer within the client's 15 s, a hang),
Retry-After, and for a 2xx the document id and the version it made.
Only the standard library, and only the address it is given.
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

CLIENT_TIMEOUT_S = 15
REVISIONS = 10


def request(method, url, token, body, headers=None):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=CLIENT_TIMEOUT_S) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except Exception:  # timeout, refused, reset: no HTTP answer at all
        return 0, {}, b""


def worker(n, base, token, stop_file, out, lock):
    doc, version, seq = None, 0, 0
    while not os.path.exists(stop_file):
        seq += 1
        body = {"title": "Failover %d-%d" % (n, seq),
                "content": {"press_release": {"headline": "Write %d-%d" % (n, seq)}}}
        t0 = time.time()
        if doc is None or version >= REVISIONS:
            op = "create"
            status, headers, raw = request("POST", base + "/v1/prfaqs", token, body)
        else:
            op = "revise"
            status, headers, raw = request("PUT", base + "/v1/prfaqs/" + doc, token, body,
                                           {"If-Match": '"%d"' % version})
        t1 = time.time()
        rec = {"start": t0, "end": t1, "op": op, "status": status,
               "retry_after": headers.get("Retry-After")}
        if 200 <= status < 300:
            got = json.loads(raw)
            doc, version = got["id"], got["version"]
            rec["id"], rec["version"] = doc, version
        else:
            doc, version = None, 0
            rec["body"] = raw[:300].decode("utf-8", "replace")
        with lock:
            out.write(json.dumps(rec) + "\n")
            out.flush()
        if status == 0 or status >= 500:
            time.sleep(0.05)  # a client backing off a little, not hammering


def main():
    base, token, stop_file, out_file = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 4
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
