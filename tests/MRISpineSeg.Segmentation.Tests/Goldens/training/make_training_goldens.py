#!/usr/bin/python3
"""Regenerates the training-tool goldens. Run with Debian's /usr/bin/python3 (numpy, scipy, nibabel).

The training tool (local/training/spine_data.py) brings every scan to the model grid the way `spineseg segment` does:
orientation to the model's axis codes, clip(x / 2650, 0, 1), order-1 zoom, x / max. This script runs the tool's own
function on scans stored in other axis orders (the orientation goldens) and writes what it gives; the C# test
(ScanOnGridGoldenTests) feeds the same files through the product and must get the same tensors. If either side
changes its rules, the test fails, so a model is never trained on inputs the product does not make.

Outputs (committed): <name>_psr_24x20x8.f32, float32 little-endian, C order [X, Y, Z] (the network's tensor), for
RAS.nii.gz, LIA.nii.gz, SPR.nii.gz and oblique_ras.nii.gz of ../orientation.
"""
import os
import sys

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "local", "training"))
from spine_data import scan_on_grid  # noqa: E402

GRID = (24, 20, 8)
FILES = ["RAS.nii.gz", "LIA.nii.gz", "SPR.nii.gz", "oblique_ras.nii.gz"]


def main():
    for name in FILES:
        x = scan_on_grid(nib.load(os.path.join(HERE, "..", "orientation", name)), GRID, "PSR")
        stem = name[: -len(".nii.gz")]
        np.ascontiguousarray(x, dtype="<f4").tofile(os.path.join(HERE, f"{stem}_psr_24x20x8.f32"))


if __name__ == "__main__":
    main()
