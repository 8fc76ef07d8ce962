#!/usr/bin/python3
"""Writes the volumes the imaging benchmark reads, with nibabel (Debian python3-nibabel).

Usage: /usr/bin/python3 make_io_files.py OUTDIR
  scan512_f32.nii.gz     512x512x12 float32, MR-like (smooth anatomy-ish pattern + noise, 0..2650)
  scan1008_i16.nii.gz    1008x1008x12 int16, same pattern
  mask512_u8.nii.gz      512x512x12 uint8 labels 0..19
"""
import os
import sys

import nibabel as nib
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(5)
PSR = np.array([[0, 0, 4.4, -20.0], [-0.59, 0, 0, 150.0], [0, 0.59, 0, -150.0], [0, 0, 0, 1]])


def pattern(n):
    x, y = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n), indexing="ij")
    base = 900 + 700 * np.sin(9 * x) * np.cos(7 * y) + 500 * ((x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.05)
    vol = np.stack([base * (0.8 + 0.02 * k) for k in range(12)], axis=2)
    return np.clip(vol + rng.normal(0, 40, vol.shape), 0, 2650)


img = nib.Nifti1Image(pattern(512).astype(np.float32), PSR)
nib.save(img, os.path.join(out, "scan512_f32.nii.gz"))
img = nib.Nifti1Image(pattern(1008).astype(np.int16), PSR)
nib.save(img, os.path.join(out, "scan1008_i16.nii.gz"))
labels = np.zeros((512, 512, 12), np.uint8)
for k in range(1, 20):
    labels[100 + 10 * k:108 + 10 * k, 150:350, 3:9] = k
nib.save(nib.Nifti1Image(labels, PSR), os.path.join(out, "mask512_u8.nii.gz"))
print("wrote", out)
