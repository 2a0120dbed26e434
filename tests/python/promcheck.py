#!/usr/bin/python3
"""promcheck.py — checks a Prometheus text exposition with a parser that is not trbridge's:
prometheus_client's (Debian python3-prometheus-client). Exits 1 with the reason when the text does
not parse or breaks the conventions (counters end in _total; histogram buckets are cumulative and
end with +Inf equal to _count; every family has HELP and TYPE). On success prints every sample as
`name{label="value",...} value`, labels sorted, for the caller to look up.

usage: promcheck.py FILE [--dashboard GRAFANA_JSON]
With --dashboard, also fails when a query of the dashboard names a metric the exposition lacks.
"""
import json
import math
import re
import sys

from prometheus_client.parser import text_string_to_metric_families


def fail(why):
    print("promcheck: " + why, file=sys.stderr)
    sys.exit(1)


def check_histogram(fam):
    series = {}
    for s in fam.samples:
        key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        series.setdefault(key, {"buckets": [], "count": None})
        if s.name.endswith("_bucket"):
            series[key]["buckets"].append((float(s.labels["le"]), s.value))
        elif s.name.endswith("_count"):
            series[key]["count"] = s.value
    for key, h in series.items():
        les = [le for le, _ in h["buckets"]]
        if not les or not math.isinf(les[-1]):
            fail("%s%s: no +Inf bucket" % (fam.name, dict(key)))
        if les != sorted(les):
            fail("%s%s: buckets out of order" % (fam.name, dict(key)))
        counts = [c for _, c in h["buckets"]]
        if any(b < a for a, b in zip(counts, counts[1:])):
            fail("%s%s: buckets are not cumulative" % (fam.name, dict(key)))
        if h["count"] is None or h["count"] != counts[-1]:
            fail("%s%s: _count differs from the +Inf bucket" % (fam.name, dict(key)))


def check_dashboard(path, families):
    names = set()
    for fam in families:  # a family without samples yet still counts
        names.add(fam.name)
        for suffix in ("_total", "_bucket", "_sum", "_count"):
            names.add(fam.name + suffix)
        for s in fam.samples:
            names.add(s.name)
    dash = json.load(open(path, encoding="utf-8"))
    for panel in dash["panels"]:
        for target in panel.get("targets", []):
            for name in re.findall(r"\b(?:trbridge|process)_[a-z_]+\b", target["expr"]):
                if name not in names:
                    fail('dashboard panel "%s" uses %s, which is not exposed' % (panel["title"], name))


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others on malformed input
        fail("does not parse: %s" % e)
    if not families:
        fail("no metric families")
    for fam in families:
        if not fam.documentation:
            fail("%s: no HELP" % fam.name)
        if fam.type == "untyped" or fam.type == "unknown":
            fail("%s: no TYPE" % fam.name)
        if fam.type == "counter":
            for s in fam.samples:
                if not s.name.endswith("_total"):
                    fail("counter sample %s does not end in _total" % s.name)
        if fam.type == "histogram":
            check_histogram(fam)
        for s in fam.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
            print("%s{%s} %r" % (s.name, labels, s.value))
    if len(sys.argv) == 4 and sys.argv[2] == "--dashboard":
        check_dashboard(sys.argv[3], families)


main()
