#!/usr/bin/python3
"""Regenerates the golden scoring set: small masks written with nibabel and the metrics.json that
score_reference.py computes for them (Dice conventions and surface metrics). Run from anywhere:

  /usr/bin/python3 tests/MRISpineSeg.Scoring.Tests/Reference/make_golden.py

Goldens are never regenerated to make a failing test pass: a change here must come with a reason.
"""
import os
import shutil
import subprocess
import sys

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(os.path.dirname(HERE), "Golden")
SHAPE = (24, 20, 6)


def affine(spacing, origin, flip_x=False):
    a = np.diag([spacing[0], spacing[1], spacing[2], 1.0])
    if flip_x:
        a[0, 0] = -spacing[0]
    a[:3, 3] = origin
    return a


def blobs(rng, labels):
    m = np.zeros(SHAPE, dtype=np.uint8)
    for c in labels:
        x0, y0, z0 = rng.integers(0, SHAPE[0] - 6), rng.integers(0, SHAPE[1] - 5), rng.integers(0, SHAPE[2] - 2)
        dx, dy, dz = rng.integers(3, 7), rng.integers(2, 5), rng.integers(1, 4)
        m[x0:x0 + dx, y0:y0 + dy, z0:z0 + dz] = c
    return m


def perturb(rng, truth, shift_labels, noise):
    p = truth.copy()
    for c in shift_labels:
        moved = np.roll(truth == c, 1, axis=int(rng.integers(0, 3)))
        p[p == c] = 0
        p[moved] = c
    flip = rng.random(SHAPE) < noise
    p[flip] = rng.integers(0, 20, size=int(flip.sum()))
    return p


def save(data, aff, path, dtype):
    img = nib.Nifti1Image(data.astype(dtype), aff)
    img.header.set_data_dtype(dtype)
    img.set_qform(aff, code=1)
    img.set_sform(aff, code=1)
    nib.save(img, path)


def main():
    rng = np.random.default_rng(20261126)
    for sub in ("truth", "pred"):
        shutil.rmtree(os.path.join(GOLDEN, sub), ignore_errors=True)
        os.makedirs(os.path.join(GOLDEN, sub))
    t_dir, p_dir = os.path.join(GOLDEN, "truth"), os.path.join(GOLDEN, "pred")

    # Case 1: most structures, small shifts and label noise; uint8 prediction.
    a1 = affine((0.6, 0.6, 4.4), (-7.0, 3.5, 12.0))
    t1 = blobs(rng, range(1, 20))
    save(t1, a1, f"{t_dir}/mask_case1.nii.gz", np.uint8)
    save(perturb(rng, t1, [2, 5, 12], 0.02), a1, f"{p_dir}/Case1.nii.gz", np.uint8)

    # Case 2: float32 prediction; class 9 only in truth, class 18 only in prediction.
    a2 = affine((0.59, 0.59, 4.4), (10.0, -20.0, 5.5), flip_x=True)
    t2 = blobs(rng, [1, 2, 3, 4, 9, 11, 12, 13])
    p2 = perturb(rng, t2, [3], 0.0)
    p2[p2 == 9] = 0
    p2[0:3, 0:3, 0:2] = 18
    save(t2, a2, f"{t_dir}/mask_case2.nii.gz", np.uint8)
    save(p2, a2, f"{p_dir}/case2.nii", np.float32)

    # Case 3: empty prediction against a non-empty truth.
    a3 = affine((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    t3 = blobs(rng, [5, 6, 15, 16])
    save(t3, a3, f"{t_dir}/mask_case3.nii.gz", np.uint8)
    save(np.zeros(SHAPE), a3, f"{p_dir}/Case3.nii.gz", np.uint8)

    # Case 4: both all background: challenge/vertebrae/discs undefined, paddleseg counts absent classes as 0.
    a4 = affine((0.7, 0.7, 3.0), (1.0, 2.0, 3.0))
    save(np.zeros(SHAPE), a4, f"{t_dir}/mask_case4.nii.gz", np.uint8)
    save(np.zeros(SHAPE), a4, f"{p_dir}/mask_case4.nii.gz", np.uint8)

    # Case 12: heavy noise, int16 storage.
    a12 = affine((0.6, 0.6, 4.4), (0.0, 0.0, 0.0))
    t12 = blobs(rng, range(1, 11))
    save(t12, a12, f"{t_dir}/mask_case12.nii.gz", np.uint8)
    save(perturb(rng, t12, [1, 7], 0.1), a12, f"{p_dir}/Case12.nii.gz", np.int16)

    subprocess.run([sys.executable, os.path.join(HERE, "score_reference.py"), "--truth", t_dir, "--pred", p_dir,
                    "--surface", "--out", os.path.join(GOLDEN, "metrics.json")], check=True)


if __name__ == "__main__":
    main()
