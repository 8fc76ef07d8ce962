#!/usr/bin/python3
"""Generates the scoring benchmark set: N cases of 512x512x12 float32 .nii.gz label masks, ground truth as
mask_case{N}.nii.gz and an imperfect prediction as Case{N}.nii.gz. Each mask is a synthetic lumbar spine on the
sagittal slices: 10 vertebrae (1-10) and 9 discs (11-19) stacked along axis 1, as ellipses on slices 2..9.

  /usr/bin/python3 generate_cases.py OUT_DIR [--cases 22] [--seed 7]
"""
import argparse
import os

import nibabel as nib
import numpy as np

SHAPE = (512, 512, 12)


def spine(rng, cx, jitter):
    m = np.zeros(SHAPE, dtype=np.float32)
    xx, yy = np.meshgrid(np.arange(SHAPE[0]), np.arange(SHAPE[1]), indexing="ij")
    y = 470
    structures = []
    for v in range(1, 11):  # S at the bottom (high y), T9 at the top
        h = 34 if v > 1 else 50
        structures.append((v, cx, y - h / 2, 42, h / 2))
        y -= h
        if v <= 9:
            structures.append((10 + v, cx, y - 5, 40, 5))  # disc above vertebra v: L5/S is 11, ... T9/T10 is 19
            y -= 10
    for label, sx, sy, rx, ry in structures:
        if jitter:
            if rng.random() < 0.05:
                continue  # a missed structure
            sx += rng.normal(0, 2.5)
            sy += rng.normal(0, 2.5)
            rx *= 1 + rng.normal(0, 0.06)
            ry *= 1 + rng.normal(0, 0.08)
        inside = ((xx - sx) / rx) ** 2 + ((yy - sy) / ry) ** 2 <= 1
        first, last = 2 + int(jitter and rng.random() < 0.3), 10 - int(jitter and rng.random() < 0.3)
        for z in range(first, last):
            m[:, :, z][inside] = label
    return m


def save(data, path):
    aff = np.array([[0.0, 0.0, -4.4, 24.0], [-0.59375, 0.0, 0.0, 150.0], [0.0, -0.59375, 0.0, 150.0], [0, 0, 0, 1]])
    img = nib.Nifti1Image(data, aff)
    img.set_qform(aff, code=1)
    img.set_sform(aff, code=0)
    nib.save(img, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--cases", type=int, default=22)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    for sub in ("truth", "pred"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    for n in range(1, a.cases + 1):
        cx = 256 + int(rng.integers(-20, 20))
        save(spine(rng, cx, jitter=False), os.path.join(a.out, "truth", f"mask_case{n}.nii.gz"))
        save(spine(rng, cx, jitter=True), os.path.join(a.out, "pred", f"Case{n}.nii.gz"))


if __name__ == "__main__":
    main()
