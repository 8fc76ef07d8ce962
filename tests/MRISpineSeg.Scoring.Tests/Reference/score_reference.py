#!/usr/bin/python3
"""Independent reference scorer for the MRSpineSeg rules (docs/design.md §5), written with nibabel + numpy (+ scipy for
surface metrics). It produces the same metrics.json as `spineseg score`, and is what the golden test and the
benchmark compare against.

  /usr/bin/python3 score_reference.py --truth DIR --pred DIR [--out metrics.json] [--surface] [--jobs N]

Folders only (no zips). Masks are read with nibabel's get_fdata() (float64, slope applied); values must be whole
numbers in 0..19. Dice_c = 2TP / (2TP + FP + FN), None when the class is absent from both masks.
"""
import argparse
import json
import math
import os
import re
import sys
from multiprocessing import Pool

import nibabel as nib
import numpy as np

K = 20
NAMES = ["background", "S", "L5", "L4", "L3", "L2", "L1", "T12", "T11", "T10", "T9",
         "L5/S", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1", "T11/T12", "T10/T11", "T9/T10"]
CONVENTIONS = [
    ("challenge", list(range(1, 20)), False),
    ("paddleseg20", list(range(0, 20)), True),
    ("paddleseg16", [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17], True),
    ("vertebrae", list(range(1, 11)), False),
    ("discs", list(range(11, 20)), False),
]
CASE = re.compile(r"^(?:mask_)?case(\d+)\.nii(?:\.gz)?$", re.IGNORECASE)


def list_cases(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        m = CASE.match(name)
        if m:
            out[int(m.group(1))] = os.path.join(folder, name)
    return out


def load_labels(path):
    img = nib.load(path)
    data = img.get_fdata()
    if not np.all(np.isfinite(data)) or not np.all(data == np.round(data)):
        raise SystemExit(f"{path}: non-integer values")
    if data.min() < 0 or data.max() >= K:
        raise SystemExit(f"{path}: labels outside 0..19")
    return data.astype(np.uint8), img.header.get_zooms()[:3]


def surface(mask):
    from scipy import ndimage
    st = ndimage.generate_binary_structure(3, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=st, border_value=0)


def surface_metrics(t, p, spacing):
    """medpy-style: pooled directed surface distances; HD95 = 95th percentile, ASSD = mean of the two directed means.
    None when the class is missing from either mask."""
    from scipy import ndimage
    hd95 = [None] * K
    assd = [None] * K
    for c in range(1, K):
        a = t == c
        b = p == c
        if not a.any() or not b.any():
            continue
        sa, sb = surface(a), surface(b)
        da = ndimage.distance_transform_edt(~sa, sampling=spacing)
        db = ndimage.distance_transform_edt(~sb, sampling=spacing)
        d_pred = da[sb]
        d_truth = db[sa]
        hd95[c] = float(np.percentile(np.hstack((d_pred, d_truth)), 95))
        assd[c] = float((d_pred.mean() + d_truth.mean()) / 2)
    return hd95, assd


def score_case(args):
    case_id, tpath, ppath, with_surface = args
    t, spacing = load_labels(tpath)
    p, _ = load_labels(ppath)
    if t.shape != p.shape:
        raise SystemExit(f"Case{case_id}: shape mismatch {p.shape} vs {t.shape}")
    cm = np.bincount(t.ravel().astype(np.int64) * K + p.ravel(), minlength=K * K).reshape(K, K)
    tp = np.diag(cm).astype(np.float64)
    denom = cm.sum(axis=1) + cm.sum(axis=0)
    dice = [None if denom[c] == 0 else float(2.0 * tp[c] / denom[c]) for c in range(K)]
    result = {"dice": {str(c): dice[c] for c in range(K)}}
    for name, classes, absent_zero in CONVENTIONS:
        vals = [dice[c] if dice[c] is not None else (0.0 if absent_zero else None) for c in classes]
        vals = [v for v in vals if v is not None]
        result[name] = sum(vals) / len(vals) if vals else None
    if with_surface:
        hd95, assd = surface_metrics(t, p, tuple(float(s) for s in spacing))
        result["hd95"] = {str(c): hd95[c] for c in range(K)}
        result["assd"] = {str(c): assd[c] for c in range(K)}
    return case_id, result


def aggregate(values, full):
    v = [x for x in values if x is not None]
    if not v:
        out = {"mean": None, "std": None}
        if full:
            out.update({"min": None, "max": None})
        out["n"] = 0
        return out
    arr = np.array(v, dtype=np.float64)
    out = {"mean": float(arr.mean()), "std": float(arr.std())}
    if full:
        out.update({"min": float(arr.min()), "max": float(arr.max())})
    out["n"] = len(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--out")
    ap.add_argument("--surface", action="store_true")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    truth, pred = list_cases(a.truth), list_cases(a.pred)
    if set(truth) != set(pred):
        raise SystemExit(f"case mismatch: missing {sorted(set(truth) - set(pred))}, extra {sorted(set(pred) - set(truth))}")
    work = [(cid, truth[cid], pred[cid], a.surface) for cid in sorted(truth)]
    if a.jobs > 1:
        with Pool(a.jobs) as pool:
            results = dict(pool.map(score_case, work))
    else:
        results = dict(map(score_case, work))
    cases = {f"Case{cid}": results[cid] for cid in sorted(results)}
    aggregates = {name: aggregate([c[name] for c in cases.values()], full=False) for name, _, _ in CONVENTIONS}
    metrics = ["dice"] + (["hd95", "assd"] if a.surface else [])
    for m in metrics:
        aggregates[m] = {str(k): aggregate([c[m][str(k)] for c in cases.values()], full=True) for k in range(K)}
    doc = {"labels": {str(k): NAMES[k] for k in range(K)}, "case": cases, "aggregates": aggregates}
    text = json.dumps(doc, indent=2, allow_nan=False)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    ch = aggregates["challenge"]
    print(f"scored {len(cases)} case(s); challenge mean {ch['mean']}", file=sys.stderr)


if __name__ == "__main__":
    main()
