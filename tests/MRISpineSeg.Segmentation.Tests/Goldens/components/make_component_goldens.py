#!/usr/bin/python3
"""Regenerates the largest-component goldens. Run with Debian's /usr/bin/python3 (numpy, scipy, nibabel).

For every label k of a mask: scipy.ndimage.label(mask == k, structure=np.ones((3, 3, 3))) (26-connectivity), keep the
component with the most voxels (of equal sizes, the lowest scipy number: the first in C order of the [x, y, z] array),
set the rest of k to 0. The C# LargestComponentFilter must give the same mask byte for byte.

Outputs (all small, committed):
  mask.nii.gz         44x40x12 uint8 (x, y, z), labels 1-12: ellipsoid "vertebrae" with satellite blobs, scattered
                      single voxels, a pair of cubes that touch only at a corner (label 9) and only along an edge
                      (label 10), two equal cubes (label 11, a tie) and one clean blob (label 12)
  expected.nii.gz     the filtered mask
  components.json     per label: 26-connected and 6-connected component counts, voxels kept, voxels removed
"""
import json
import os

import nibabel as nib
import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (44, 40, 12)


def mask():
    rng = np.random.default_rng(15)
    m = np.zeros(SHAPE, np.uint8)
    x, y, z = np.meshgrid(*[np.arange(n) for n in SHAPE], indexing="ij")
    for k in range(1, 9):
        cx, cy, cz = 10 + 3 * (k % 3), 4 + 4 * k, 6
        m[((x - cx) / 5.0) ** 2 + ((y - cy) / 1.6) ** 2 + ((z - cz) / 3.5) ** 2 <= 1] = k
        for _ in range(int(rng.integers(1, 4))):  # satellites of the same label, away from the body
            sx, sy, sz = int(rng.integers(26, 42)), int(rng.integers(0, 38)), int(rng.integers(0, 11))
            m[sx:sx + int(rng.integers(1, 3)), sy:sy + 2, sz:sz + int(rng.integers(1, 3))] = k
    scatter = rng.random(SHAPE) < 0.004
    m[scatter & (m == 0)] = rng.integers(1, 9, int((scatter & (m == 0)).sum()))
    m[m >= 9] = 0
    m[30:33, 2:5, 0:3] = 9      # 27 voxels
    m[33:35, 5:7, 3:5] = 9      # 8 voxels, meeting the first cube at one corner only
    m[36:39, 2:5, 0:3] = 10     # 27 voxels
    m[39:41, 5:7, 0:3] = 10     # 12 voxels, meeting it along an edge only
    m[2:4, 36:38, 8:10] = 11    # two equal cubes of 8: the first in (x, y, z) order is kept
    m[6:8, 36:38, 8:10] = 11
    m[40:43, 30:34, 7:10] = 12  # one component: unchanged
    return m


def keep_largest(m, structure):
    out = m.copy()
    report = {}
    for k in range(1, int(m.max()) + 1):
        lab, n = ndimage.label(m == k, structure=structure)
        if n == 0:
            continue
        sizes = np.bincount(lab.ravel())[1:]
        best = int(np.argmax(sizes)) + 1
        out[(lab != best) & (lab > 0)] = 0
        report[k] = {"components": int(n), "kept": int(sizes[best - 1]), "removed": int(sizes.sum() - sizes[best - 1])}
    return out, report


def save(data, name):
    img = nib.Nifti1Image(data, np.diag([0.7, 0.7, 4.4, 1.0]))
    img.header.set_data_dtype(np.uint8)
    img.header.set_xyzt_units("mm", "sec")
    nib.save(img, os.path.join(HERE, name))


def main():
    m = mask()
    expected, report = keep_largest(m, np.ones((3, 3, 3), bool))
    _, face = keep_largest(m, ndimage.generate_binary_structure(3, 1))
    for k in report:
        report[k]["components_6_connected"] = face[k]["components"]
    save(m, "mask.nii.gz")
    save(expected, "expected.nii.gz")
    with open(os.path.join(HERE, "components.json"), "w") as f:
        json.dump({"connectivity": 26, "removed": int((m != expected).sum()), "labels": report}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
