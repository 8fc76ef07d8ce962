#!/usr/bin/python3
"""Exits non-zero unless two metrics.json files hold the same keys, the same nulls and numbers within 1e-9."""
import json
import sys


def walk(a, b, path, count):
    if isinstance(a, dict):
        if not isinstance(b, dict) or list(a) != list(b):
            raise SystemExit(f"{path}: keys differ")
        for k in a:
            count = walk(a[k], b[k], f"{path}.{k}", count)
        return count
    if a is None or b is None or isinstance(a, str):
        if a != b:
            raise SystemExit(f"{path}: {a!r} vs {b!r}")
        return count + 1
    if abs(a - b) > 1e-9:
        raise SystemExit(f"{path}: {a} vs {b}")
    return count + 1


a, b = (json.load(open(p)) for p in sys.argv[1:3])
# "detail" says which view a product report is ("full" here); it is the product's own marker, not the reference layout.
for doc in (a, b):
    if doc.get("detail", "full") != "full":
        raise SystemExit(f"$.detail: {doc['detail']!r}; compare full reports")
    doc.pop("detail", None)
print(f"identical within 1e-9: {walk(a, b, '$', 0)} values")
