#!/usr/bin/python3
"""Regenerates the segmentation pipeline goldens. Run with Debian's /usr/bin/python3 (numpy, scipy, nibabel).

PaddleSeg (contrib/MedicalSeg, tools/prepare_mri_spine_seg.py + preprocess_utils) prepares a spine scan as
    img = nib.load(f).get_fdata(dtype=np.float32)
    img = normalize(img, min_val=0, max_val=2650)      # (img - 0) / (2650 - 0), then np.clip(img, 0, 1)
    img = resample(img, new_shape=[X, Y, Z], order=1)  # scipy.ndimage.zoom(img, new/old, order=1, mode='nearest')
and docs/design.md §4 then divides by the volume's maximum when it is > 0. The tensor is [1, 1, X, Y, Z], C order.

Outputs (all small, committed):
  scan_psr_qform.nii.gz     40x36x7 int16, scl_slope 1.5 / inter 3, qform only (code 1), qfac -1, PSR
  scan_las_sform.nii.gz     40x36x7 int16, no scaling, sform only (code 2), LAS
  series_4d.nii.gz          6x5x4x2 int16, a 4-D series (t = 2) that segmentation must refuse
  preprocessed_24x20x12.f32 the expected tensor for scan_psr_qform at grid 24x20x12, float32 little-endian, C order
"""
import os

import nibabel as nib
import numpy as np
import scipy.ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (40, 36, 7)
GRID = (24, 20, 12)
CLIP_MAX = 2650


def phantom(rng):
    """A bright band (a stand-in spine) over noise, with values both above 2650 and below 0 so clipping matters."""
    x, y, z = np.meshgrid(np.arange(SHAPE[0]), np.arange(SHAPE[1]), np.arange(SHAPE[2]), indexing="ij")
    band = 1500.0 * np.exp(-((x - 18.0) ** 2) / 30.0) * (1.0 + 0.1 * z)
    noise = rng.normal(0.0, 400.0, SHAPE)
    raw = band + noise + 200.0 * (y / SHAPE[1])
    return np.clip(np.round(raw), -800, 2400).astype(np.int16)


def psr_qform(data):
    img = nib.Nifti1Image(data, None)
    hdr = img.header
    hdr.set_data_dtype(np.int16)
    # voxel axis 0 -> posterior, 1 -> superior, 2 -> right; qfac -1 (a left-handed voxel frame as stored).
    affine = np.array([
        [0.0, 0.0, 4.4, -13.2],
        [-0.6, 0.0, 0.0, 40.0],
        [0.0, 0.65, 0.0, -90.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    hdr.set_qform(affine, code=1)
    hdr.set_sform(None, code=0)
    hdr.set_slope_inter(1.5, 3.0)
    hdr.set_xyzt_units("mm", "sec")
    return img


def las_sform(data):
    img = nib.Nifti1Image(data, None)
    hdr = img.header
    hdr.set_data_dtype(np.int16)
    affine = np.array([
        [-0.7, 0.0, 0.0, 20.0],
        [0.0, 0.7, 0.0, -30.0],
        [0.0, 0.0, 3.5, 5.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    hdr.set_qform(None, code=0)
    hdr.set_sform(affine, code=2)
    hdr.set_xyzt_units("mm", "sec")
    return img


def preprocess(path):
    img = nib.load(path).get_fdata(dtype=np.float32)
    img = (img - 0) / (CLIP_MAX - 0)
    np.clip(img, 0, 1, out=img)
    img = scipy.ndimage.zoom(img, np.array(GRID) / np.array(img.shape), order=1, mode="nearest")
    m = img.max()
    if m > 0:
        img = img / m
    return img.astype(np.float32)[np.newaxis, np.newaxis]


def main():
    rng = np.random.default_rng(20261126)
    data = phantom(rng)
    psr = os.path.join(HERE, "scan_psr_qform.nii.gz")
    nib.save(psr_qform(data), psr)
    nib.save(las_sform(data[::-1].copy()), os.path.join(HERE, "scan_las_sform.nii.gz"))
    nib.save(nib.Nifti1Image(np.ones((6, 5, 4, 2), np.int16) * 100, np.eye(4)), os.path.join(HERE, "series_4d.nii.gz"))
    tensor = preprocess(psr)
    assert tensor.shape == (1, 1) + GRID, tensor.shape
    assert nib.load(psr).header.get_qform(coded=True)[1] == 1 and nib.load(psr).header["pixdim"][0] == -1
    tensor.astype("<f4").tofile(os.path.join(HERE, "preprocessed_24x20x12.f32"))
    print("clipped fraction above 1:", float((nib.load(psr).get_fdata() / CLIP_MAX > 1).mean()),
          "below 0:", float((nib.load(psr).get_fdata() < 0).mean()), "tensor max", float(tensor.max()))


if __name__ == "__main__":
    main()
