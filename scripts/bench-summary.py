#!/usr/bin/env python3
"""Condenses divan's output (stdin) to one line per benchmark: median time and
median allocations per iteration, so two sides can be compared at a glance."""
import re
import sys

UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
ROW = re.compile(r"^(?P<tree>[│ ├╰─]*)(?P<name>[\w=.-]+)\s+(?P<cells>(?:[0-9.]+ \S+\s+│\s+){3}[0-9.]+ \S+)")


def nanos(cell):
    value, unit = cell.split()
    return float(value) * UNITS[unit]


def main():
    path = []
    pending = None
    in_alloc = False
    for line in sys.stdin:
        line = line.rstrip("\n")
        head = re.match(r"^(?P<tree>[│ ├╰─]*)(?P<name>[\w=.-]+)\s*│", line)
        row = ROW.match(line)
        if row or (head and "alloc" not in head.group("name")):
            match = row or head
            depth = len(match.group("tree")) // 3
            path = path[:depth] + [match.group("name")]
            if row:
                cells = [cell.strip() for cell in row.group("cells").split("│")]
                pending = {"name": "/".join(path), "median_ns": nanos(cells[2]), "allocs": None}
                print_row(pending)
            in_alloc = False
            continue
        if pending and re.search(r"\balloc:\s*│", line):
            in_alloc = True
            continue
        if pending and in_alloc:
            cells = [cell.strip() for cell in line.split("│")]
            if len(cells) > 2 and cells[2]:
                pending["allocs"] = cells[2]
                print(f"{'':48} allocs/iter (median): {cells[2]}")
            in_alloc = False


def print_row(row):
    print(f"{row['name']:48} median {row['median_ns']:>12.1f} ns")


if __name__ == "__main__":
    main()
