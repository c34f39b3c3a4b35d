#!/usr/bin/env python3
"""bench/evidence_lines.py N NDJSON TSV CREATED_BY: the same N evidence items
twice, as an NDJSON import body (POST /v1/evidence/import) and as the rows
COPY reads (tab-separated, in the column order bench/run names), so that
prfaqd's import and COPY load exactly the same thing.  Items look like a
support tool's nightly sync: a third each anecdotes, requests and data
points, 80 to 400 characters of text, two tags, a ticket URL on half of
them; source "bench-import", source_ref "imp-<n>"."""
import json
import sys

n, ndjson, tsv, created_by = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
KINDS = ["anecdote", "request", "data"]
MOODS = ["negative", "neutral", "positive"]
SAYS = ["Checkout lost my cart twice and I had to start again.",
        "Please let me export every order to a spreadsheet.",
        "The refund took nine days although the parcel was back on day two.",
        "Support fixed it quickly once I reached a person.",
        "I could not find where to change the delivery address."]
TOPICS = ["checkout", "refunds", "search", "delivery", "returns", "pricing"]


def tsv_field(v):
    if v is None:
        return "\\N"
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


with open(ndjson, "w") as nd, open(tsv, "w") as tv:
    for i in range(1, n + 1):
        kind = KINDS[i % 3]
        text = " ".join(SAYS[(i + k) % 5] for k in range(1 + i % 6)) + f" (ticket {i})"
        item = {"kind": kind, "text": text, "sentiment": MOODS[(i // 3) % 3],
                "source": "bench-import", "source_ref": f"imp-{i}",
                "customer": {"segment": ["SMB", "Enterprise", "Consumer"][i % 3]},
                "observed_on": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "tags": [TOPICS[i % 6], f"wave-{i % 4}"]}
        if i % 2 == 0:
            item["url"] = f"https://support.example.com/tickets/{i}"
        if kind == "data":
            item["value"] = round((i % 1000) / 10.0, 1)
            item["unit"] = "%"
        nd.write(json.dumps(item, separators=(",", ":")) + "\n")
        row = [kind, text, item["sentiment"], "bench-import", item["source_ref"],
               item.get("url"), item["customer"]["segment"], None, item["observed_on"],
               "{" + ",".join(item["tags"]) + "}", item.get("value"), item.get("unit"),
               created_by]
        tv.write("\t".join(tsv_field(v) for v in row) + "\n")
