#!/usr/bin/env python3
"""corpus-stats.py: sum up newsa11y JSON reports of a corpus run, for
before/after comparisons in closing notes.

    scripts/corpus-stats.py REPORT.json [BEFORE.json]

It prints, over the pages that loaded: violations and reviews per page
(mean and median), pairs of findings on the same element (same page and
selector), findings by region and by severity; and with BEFORE, the
count of each rule's violations and reviews in both, a finding merged
into another (its "also" list) counted as found.
"""
import collections
import json
import statistics
import sys


def pages(path):
    return [p for p in json.load(open(path))["pages"] if not p.get("error")]


def summary(path):
    ps = pages(path)
    for outcome in ("violation", "review"):
        n = [sum(f["outcome"] == outcome for f in p["findings"] or []) for p in ps]
        print(f"{outcome}s per page: mean {statistics.mean(n):.1f}, median {statistics.median(n)}, total {sum(n)}")
    pairs = 0
    for p in ps:
        c = collections.Counter(f["selector"] for f in p["findings"] or [] if f["selector"])
        pairs += sum(k * (k - 1) // 2 for k in c.values())
    print("pairs of findings on the same element:", pairs)
    for key in ("region", "severity"):
        c = collections.Counter((f.get(key) or "-", f["outcome"]) for p in ps for f in p["findings"] or [])
        print(f"by {key}:", ", ".join(f"{k[0]} {k[1]}s {v}" for k, v in sorted(c.items())))


def per_rule(path):
    c = collections.Counter()
    for p in pages(path):
        for f in p["findings"] or []:
            for g in [f] + (f.get("also") or []):
                c[(g["rule"], g["outcome"])] += 1
    return c


def main():
    summary(sys.argv[1])
    if len(sys.argv) > 2:
        new, old = per_rule(sys.argv[1]), per_rule(sys.argv[2])
        print(f"\n{'rule':44} {'violations':>16} {'reviews':>16}")
        for r in sorted({k[0] for k in old} | {k[0] for k in new}):
            v = (old[(r, "violation")], new[(r, "violation")])
            w = (old[(r, "review")], new[(r, "review")])
            if v[0] != v[1] or w[0] != w[1]:
                print(f"{r:44} {v[0]:7} -> {v[1]:<6} {w[0]:7} -> {w[1]:<6}")


if __name__ == "__main__":
    main()
