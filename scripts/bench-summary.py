#!/usr/bin/env python3
"""Condenses divan's output (stdin) to one line per benchmark: median time and
median allocations per iteration, so the two sides of a comparison sit side
by side. Usage: cargo bench -p oauth-tests --bench compare | scripts/bench-summary.py"""
import re
import sys

UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
# A benchmark or group row ends its tree drawing with a branch: "├─ " or "╰─ ".
TREE = re.compile(r"^(?P<tree>(?:[│ ]  )*[├╰]─ )(?P<name>[\w=.-]+)\s")
CELL = re.compile(r"[0-9.]+ (?:ps|ns|µs|us|ms|s)\b")


def main():
    path, rows, current, awaiting_allocs = [], [], None, False
    for raw in sys.stdin:
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw.rstrip("\n"))
        if "│" not in line:
            continue
        match = TREE.match(line)
        if match and match.group("tree"):
            depth = len(match.group("tree")) // 3
            name = match.group("name")
            if name in ("alloc", "dealloc", "grow", "shrink", "max"):
                awaiting_allocs = name == "alloc"
                continue
            path = path[: depth - 1] + [name]
            times = CELL.findall(line)
            if len(times) >= 3:
                value, unit = times[2].split()
                current = {"name": "/".join(path), "median_ns": float(value) * UNITS[unit], "allocs": "0"}
                rows.append(current)
            continue
        # Statistics rows: the tree's drawing, then "label:" or the values, then columns.
        cells = [cell.strip() for cell in line.lstrip("│├╰─ ").split("│")]
        label = cells[0]
        if label == "alloc:":
            awaiting_allocs = True
        elif label.endswith(":"):
            awaiting_allocs = False
        elif awaiting_allocs and current is not None:
            if len(cells) > 2 and cells[2]:
                current["allocs"] = cells[2]
            awaiting_allocs = False
    for row in rows:
        print(f"{row['name']:44} median {row['median_ns']:>11.1f} ns   allocs {row['allocs']}")


if __name__ == "__main__":
    main()
