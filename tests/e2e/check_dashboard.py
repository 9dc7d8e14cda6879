#!/usr/bin/env python3
"""The Grafana dashboard and the alert rules use only metrics and labels that exist.

    check_dashboard.py BINARY DASHBOARD_JSON ALERTS_YAML

Loads samples/grafana/coinone-annotate.json (it must be valid JSON) and the rules of
samples/prometheus/alerts.yaml, then runs BINARY for real (--follow on two files, --metrics on a
free loopback port), appends lines that make every family show series (known codes, an unknown
code, two followed files), and scrapes /metrics. Every metric name in a PromQL expression of the
dashboard (panels and template variables) and of the rules must be one the scrape names, or `up`
(Prometheus' own); every label in a selector `{...}` or a `by (...)`/`without (...)` clause must
be a label of a metric in that expression, or a label of the target (job, instance).
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

failures = 0
checks = 0


def check(name, ok, detail=""):
    global failures, checks
    checks += 1
    if ok:
        print(f"ok:   {name}")
    else:
        failures += 1
        print(f"FAIL: {name}")
        if detail:
            print(f"  {detail}")


# --- PromQL: metric names and label names, without a full parser ---------------------------
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
            "and", "or", "unless", "inf", "nan"}
TARGET_LABELS = {"job", "instance"}
PROMETHEUS_OWN = {"up"}
GROUPING = r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)"


def promql_names(expr):
    """(metric names, [(metric or None, label names)]) used in a PromQL expression."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals say nothing of names
    text = re.sub(r"\$\{?\w+\}?", "", text)  # Grafana variables: $__range, ${datasource}
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges and subqueries
    text = re.sub(r"\boffset\s+\w+", "", text)
    labels = []
    # Selectors: an optional metric name, then {label op "..."}.
    for m in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}", text):
        names = re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", m.group(2))
        labels.append((m.group(1), set(names)))
    # Grouping clauses name labels, not metrics.
    for m in re.finditer(GROUPING, text):
        labels.append((None, set(re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*", m.group(1)))))
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(GROUPING, " ", text)
    metrics = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        rest = text[m.end():].lstrip()
        word = m.group(0)
        if rest.startswith("(") or word.lower() in KEYWORDS:
            continue  # a function or an operator
        if re.fullmatch(r"\d+\w*", word):
            continue
        metrics.add(word)
    return metrics, labels


def label_values_query(query):
    """label_values(METRIC_SELECTOR, LABEL) -> a PromQL expression and the label it names."""
    m = re.fullmatch(r"\s*label_values\((.*),\s*([a-zA-Z_]\w*)\s*\)\s*", query)
    return (m.group(1), m.group(2)) if m else (query, None)


# --- the real scrape ---------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
        return r.status, r.read().decode()


def scrape_binary(binary):
    """{metric name: set of label names} from a real /metrics after known lines."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        logs = [os.path.join(tmp, "a.log"), os.path.join(tmp, "b.log")]
        for path in logs:
            open(path, "w").close()
        args = [binary, "--follow", logs[0], "--follow", logs[1], "--metrics", f"127.0.0.1:{port}"]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 5
            while True:
                try:
                    if get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    why = proc.stderr.read1().decode() if proc.poll() is not None else "running"
                    raise SystemExit(f"FAIL: {' '.join(args)}: no /healthz within 5 s ({why})")
                time.sleep(0.05)
            with open(logs[0], "a") as f:
                f.write('{"result":"error","error_code":"103"}\n'
                        '{"result":"error","error_code":"9999"}\n')
            with open(logs[1], "a") as f:
                f.write('{"result":"error","error_code":"12"}\nplain\n')
            deadline = time.monotonic() + 5
            while True:
                text = get(port, "/metrics")[1]
                if "coinone_annotate_lines_read_total 4\n" in text or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    families = {}
    for line in text.splitlines():
        m = re.match(r"# TYPE (\S+) ", line)
        if m:
            families.setdefault(m.group(1), set())
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ", line)
        if m:
            families.setdefault(m.group(1), set()).update(
                re.findall(r'([a-zA-Z_]\w*)="', m.group(2) or ""))
    return families, text


# --- the checks ----------------------------------------------------------------------------
def check_expressions(kind, exprs, families):
    known_labels = set(TARGET_LABELS)
    for labels in families.values():
        known_labels |= labels
    for where, expr in exprs:
        metrics, labels = promql_names(expr)
        unknown = sorted(m for m in metrics if m not in families and m not in PROMETHEUS_OWN)
        names = ", ".join(sorted(metrics)) or "(none)"
        check(f"{kind} {where}: metrics {names} exist", bool(metrics) and not unknown,
              f"not in the scrape: {unknown} in {expr!r}")
        allowed = set(TARGET_LABELS)
        for m in metrics:
            allowed |= families.get(m, set())
        for metric, names in labels:
            own = (families.get(metric, set()) | TARGET_LABELS) if metric else allowed
            if metric in PROMETHEUS_OWN:
                own = TARGET_LABELS
            bad = sorted(names - own)
            check(f"{kind} {where}: labels {', '.join(sorted(names))} of "
                  f"{metric or 'the expression'}", not bad, f"no such label: {bad} in {expr!r}")


def dashboard_expressions(dash):
    exprs = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str):
                exprs.append((where, node["expr"]))
            for key, value in node.items():
                nested = key == "panels" and "title" in node
                walk(value, f"{where} / {node['title']}" if nested else where)
        elif isinstance(node, list):
            for item in node:
                title = item.get("title") if isinstance(item, dict) else None
                walk(item, f'"{title}"' if title else where)

    walk(dash.get("panels", []), "panel")
    for var in dash.get("templating", {}).get("list", []):
        if var.get("type") == "query":
            query = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
            expr, label = label_values_query(query)
            exprs.append((f"variable ${var['name']}", expr))
            if label:
                exprs.append((f"variable ${var['name']} (label)", f"sum by ({label}) ({expr})"))
    return exprs


def main():
    binary, dashboard_path, alerts_path = sys.argv[1:4]
    # The extractor itself, so that a check that finds nothing cannot pass.
    m, l = promql_names('sum by (advice) (rate(coinone_annotate_errors_total{code="1",job=~"$job"}'
                        '[5m])) * 60 unless x_total offset 10m')
    check("extractor: metric names", m == {"coinone_annotate_errors_total", "x_total"}, str(m))
    check("extractor: label names",
          sorted(sorted(names) for _, names in l) == [["advice"], ["code", "job"]], str(l))

    try:
        with open(dashboard_path, encoding="utf-8") as f:
            dash = json.load(f)
        check("dashboard: valid JSON", True)
    except ValueError as e:
        check("dashboard: valid JSON", False, str(e))
        return
    with open(alerts_path, encoding="utf-8") as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]

    families, text = scrape_binary(binary)
    check("scrape: the families of a run with known, unknown codes and two files",
          {"coinone_annotate_errors_total", "coinone_annotate_unknown_code_total",
           "coinone_annotate_follow_lines_total"} <= set(families)
          and {"code", "category", "advice"} <= families["coinone_annotate_errors_total"],
          text[-1500:])

    dash_exprs = dashboard_expressions(dash)
    check_expressions("dashboard", dash_exprs, families)
    check_expressions("alert", [(r["alert"], r["expr"]) for r in rules], families)

    # What the issue asks the dashboard to show.
    used = set()
    by_labels = set()
    for _, expr in dash_exprs:
        metrics, labels = promql_names(expr)
        used |= metrics
        by_labels |= {n for metric, names in labels if metric is None for n in names}
    for need in ("coinone_annotate_errors_by_category_total", "coinone_annotate_errors_total",
                 "coinone_annotate_unknown_codes_total", "coinone_annotate_unknown_code_total",
                 "coinone_annotate_lines_read_total"):
        check(f"dashboard shows {need}", need in used)
    for need in ("category", "code", "advice"):
        check(f"dashboard groups by {need}", need in by_labels)
    # The panels must ask the chosen data source, not a fixed one.
    sources = {json.dumps(p.get("datasource")) for p in dash["panels"] if p.get("type") != "row"}
    check("dashboard: every panel uses the ${datasource} variable",
          sources == {json.dumps({"type": "prometheus", "uid": "${datasource}"})}, str(sources))

    print(f"dashboard: {checks - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
