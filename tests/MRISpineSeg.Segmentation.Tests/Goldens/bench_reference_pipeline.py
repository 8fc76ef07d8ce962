#!/usr/bin/python3
"""Baseline for BENCHMARKS.md (segment end to end): the non-inference stages as PaddleSeg's Python tooling runs them
(nibabel read, normalize + scipy zoom order 1, divide by max, order-0 zoom of labels back, nibabel write of a uint8
mask), timed per stage on the same scan that 'spineseg segment' is timed on. Inference is not part of it; the model
half's benchmark compares ONNX Runtime with PyTorch for that.

usage: /usr/bin/python3 bench_reference_pipeline.py SCAN.nii.gz OUT_MASK.nii.gz [GRID_X GRID_Y GRID_Z]
"""
import sys
import time

import nibabel as nib
import numpy as np
import scipy.ndimage


def main():
    scan_path, out_path = sys.argv[1], sys.argv[2]
    grid = tuple(int(v) for v in sys.argv[3:6]) if len(sys.argv) >= 6 else (512, 512, 12)
    t = {}
    t0 = time.perf_counter()
    img = nib.load(scan_path)
    data = img.get_fdata(dtype=np.float32)
    t["read"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    x = (data - 0) / (2650 - 0)
    np.clip(x, 0, 1, out=x)
    x = scipy.ndimage.zoom(x, np.array(grid) / np.array(x.shape), order=1, mode="nearest")
    m = x.max()
    if m > 0:
        x = x / m
    tensor = np.ascontiguousarray(x[np.newaxis, np.newaxis])
    t["preprocess"] = time.perf_counter() - t0

    # Stand-in for the network's argmax so the postprocess has labels of the right size and type.
    labels = (tensor[0, 0] * 19).astype(np.uint8)

    t0 = time.perf_counter()
    back = scipy.ndimage.zoom(labels, np.array(data.shape) / np.array(grid), order=0, mode="nearest")
    t["postprocess"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    hdr = img.header.copy()
    hdr.set_data_dtype(np.uint8)
    nib.save(nib.Nifti1Image(back, img.affine, hdr), out_path)
    t["write"] = time.perf_counter() - t0

    print(" ".join(f"{k} {v * 1000:.0f} ms" for k, v in t.items()), f"total {sum(t.values()) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
