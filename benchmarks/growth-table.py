#!/usr/bin/env python3
"""Growth table from two run-suite.sh output directories (e.g. 1 M and 10 M): per benchmark method the mean time and
allocated bytes at both sizes and their ratios, and per class the peak RSS of the class's process.

usage: python3 benchmarks/growth-table.py DIR_SMALL DIR_LARGE   (prints Markdown)
"""
import glob, html, os, re, sys

TIME = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
SIZE = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_value(text, units):
    text = text.strip().replace(",", "")
    m = re.match(r"^([0-9.]+)\s*(\S+)$", text)
    if not m:
        return None
    return float(m.group(1)) * units.get(m.group(2), float("nan"))


def read(directory):
    rows, rss = {}, {}
    tsv = os.path.join(directory, "summary.tsv")
    if os.path.exists(tsv):
        for line in open(tsv, encoding="utf-8").read().splitlines()[1:]:
            f = line.split("\t")
            rss[f[0]] = (f[7], f[3].split()[0], f[4].split()[0], f[1], f[8])
    for md in sorted(glob.glob(os.path.join(directory, "*.md"))):
        cls = os.path.basename(md)[:-3]
        header = None
        for line in open(md, encoding="utf-8"):
            if not line.startswith("|"):
                continue
            cells = [html.unescape(c.strip()).strip("'") for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
                continue
            if set(cells[0]) <= set("-: "):
                continue
            row = dict(zip(header, cells))
            mean = parse_value(row.get("Mean", ""), TIME)
            alloc = parse_value(row.get("Allocated", "-").replace("-", "0 B") if row.get("Allocated", "-").strip() == "-" else row.get("Allocated", ""), SIZE)
            rows[(cls, row["Method"])] = (mean, alloc, row.get("Ratio", ""))
    return rows, rss


def fmt_time(s):
    return "—" if s is None else f"{s * 1e3:,.1f} ms" if s < 10 else f"{s:,.1f} s"


def fmt_size(b):
    return "—" if b is None else "0" if b == 0 else f"{b / 1024**2:,.1f} MB" if b < 1024**3 else f"{b / 1024**3:,.2f} GB"


def ratio(a, b):
    return "—" if a in (None, 0) or b is None else f"{b / a:.1f}×"


small, large = read(sys.argv[1]), read(sys.argv[2])
print("| class | method | mean 1 M | mean 10 M | time × | allocated 1 M | allocated 10 M | alloc × |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for key in small[0]:
    a, b = small[0][key], large[0].get(key)
    if b is None:
        print(f"| {key[0]} | {key[1]} | {fmt_time(a[0])} | not run | | {fmt_size(a[1])} | not run | |")
    else:
        print(f"| {key[0]} | {key[1]} | {fmt_time(a[0])} | {fmt_time(b[0])} | {ratio(a[0], b[0])} | {fmt_size(a[1])} | {fmt_size(b[1])} | {ratio(a[1], b[1])} |")
print()
print("| class | peak RSS 1 M (MB) | peak RSS 10 M (MB) | RSS × | load 1 M (start → end) | load 10 M (start → end) |")
print("|---|---:|---:|---:|---|---|")
for cls, (r1, l0, l1, t, rc) in small[1].items():
    big = large[1].get(cls)
    if big is None:
        print(f"| {cls} | {r1} | not run | | {l0} → {l1} | |")
    else:
        x = f"{int(big[0]) / int(r1):.1f}×" if r1 and big[0] else ""
        print(f"| {cls} | {r1} | {big[0]}{'' if big[4] == '0' else ' (exit ' + big[4] + ')'} | {x} | {l0} → {l1} | {big[1]} → {big[2]} |")
