"""Brings a scan (and its mask) to a model's grid exactly as `spineseg segment` does, for training and for the goldens
that prove it (tests/MRISpineSeg.Segmentation.Tests/Goldens/training/make_training_goldens.py).

The product's rules (docs/design.md §3-4):
1. Orientation: permute and flip the stored axes to the model's axis codes (PSR for MRSpineSeg models), the transform
   nibabel picks: ornt_transform(io_orientation(affine), axcodes2ornt(codes)), applied with apply_orientation.
   Nothing is resampled in this step, so a voxel keeps its value.
2. Intensity: x = clip(x / clip_max, 0, 1), on float32 values with scl_slope/scl_inter applied.
3. Resize to the grid: scipy.ndimage.zoom(order=1, mode='nearest') for images, order 0 for labels.
4. x = x / max(x) when max(x) > 0.
"""
import re

import nibabel as nib
import numpy as np
from nibabel.orientations import apply_orientation, axcodes2ornt, io_orientation, ornt_transform
from scipy import ndimage

CLIP = 2650.0


def orientation_to(img, codes):
    """nibabel's transform from the stored axes to `codes` (e.g. 'PSR'): the one the product applies."""
    return ornt_transform(io_orientation(img.affine), axcodes2ornt(tuple(codes)))


def scan_on_grid(img, grid, codes="PSR", clip=CLIP):
    """The network input for one scan: orientation, clip, order-1 zoom to `grid`, division by the maximum."""
    x = apply_orientation(img.get_fdata(dtype=np.float32), orientation_to(img, codes))
    x = np.clip(x / np.float32(clip), 0, 1).astype(np.float32)
    x = ndimage.zoom(x, np.array(grid) / np.array(x.shape), order=1, mode="nearest")
    m = x.max()
    if m > 0:
        x = x / m
    return x.astype(np.float32)


def mask_on_grid(img, grid, codes="PSR"):
    """A label mask brought to the model's codes and zoomed to `grid` with order 0 (PaddleSeg's label resize)."""
    lab = apply_orientation(np.asanyarray(img.dataobj), orientation_to(img, codes)).astype(np.uint8)
    return ndimage.zoom(lab, np.array(grid) / np.array(lab.shape), order=0, mode="nearest").astype(np.uint8)


def case_number(path):
    """Case{N}.nii.gz / mask_case{N}.nii.gz -> N (zero padding ignored: Case02 is case 2)."""
    found = re.findall(r"\d+", path.rsplit("/", 1)[-1])
    if not found:
        raise ValueError(f"{path}: no case number in the file name (expected Case{{N}}.nii.gz)")
    return int(found[0])

