#!/usr/bin/python3
"""Regenerates the orientation goldens. Run with Debian's /usr/bin/python3 (numpy, nibabel).

One PSR scan (the MRSpineSeg storage order) is stored again in other axis orders with nibabel itself:
    ornt = ornt_transform(io_orientation(psr.affine), axcodes2ornt(code))
    img  = psr.as_reoriented(ornt)          # apply_orientation on the data, affine @ inv_ornt_aff
so every copy puts every voxel at the same world position as the PSR original. The product must bring each copy
back to PSR (permute + flip only) and give, mapped back, the PSR original's mask voxel for voxel.

Outputs (all small, committed):
  psr.nii.gz                 36x30x10 int16, sform + qform (code 1), PSR, asymmetric content
  <CODE>.nii.gz              the same scan stored as CODE (RAS, LAS, SPR, IPL, ASL, PIR, RPI, LIA)
  oblique.nii.gz             the PSR data with its affine rotated 25 deg about S and 12 deg about A (closest axes PSR)
  oblique_ras.nii.gz         an oblique RAS-like grid whose axes are 35 deg off (closest axes by io_orientation)
  degenerate_zero_axis.nii.gz, degenerate_collinear.nii.gz, degenerate_nan.nii.gz  sform-only affines with no orientation
  orientation_goldens.json   per file: nibabel's aff2axcodes, io_orientation and ornt_transform(io_orientation, PSR)
"""
import json
import os

import nibabel as nib
import numpy as np
from nibabel.orientations import aff2axcodes, axcodes2ornt, io_orientation, ornt_transform

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (36, 30, 10)
CODES = ["RAS", "LAS", "SPR", "IPL", "ASL", "PIR", "RPI", "LIA"]
PSR = axcodes2ornt("PSR")


def psr_scan():
    """A bright column (a stand-in spine) that leans, grows along S and is brighter on the right, over noise."""
    rng = np.random.default_rng(12)
    x, y, z = np.meshgrid(np.arange(SHAPE[0]), np.arange(SHAPE[1]), np.arange(SHAPE[2]), indexing="ij")
    centre = 12.0 + 0.3 * y
    column = 2000.0 * np.exp(-((x - centre) ** 2) / 18.0) * (0.6 + 0.04 * z)
    raw = column + rng.normal(0.0, 150.0, SHAPE) + 300.0 * (y / SHAPE[1])
    data = np.clip(np.round(raw), 0, 2600).astype(np.int16)
    affine = np.array([
        [0.0, 0.0, 4.4, -20.0],
        [-0.7, 0.0, 0.0, 30.0],
        [0.0, 0.8, 0.0, -60.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    return with_header(data, affine, qform=True)


def with_header(data, affine, qform):
    img = nib.Nifti1Image(data, affine)
    img.header.set_data_dtype(np.int16)
    img.header.set_sform(affine, code=1)
    img.header.set_qform(affine if qform else None, code=1 if qform else 0)
    img.header.set_xyzt_units("mm", "sec")
    return img


def rotation(axis, degrees):
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    i, j = [k for k in range(3) if k != axis]
    r = np.eye(4)
    r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
    return r


def record(img):
    ornt = io_orientation(img.affine)
    return {
        "axcodes": "".join(aff2axcodes(img.affine)),
        "io_orientation": ornt.astype(int).tolist(),
        "to_psr": ornt_transform(ornt, PSR).astype(int).tolist(),
    }


def main():
    psr = psr_scan()
    goldens = {}
    files = {"psr.nii.gz": psr}
    for code in CODES:
        files[f"{code}.nii.gz"] = psr.as_reoriented(ornt_transform(io_orientation(psr.affine), axcodes2ornt(code)))
    data = np.asarray(psr.dataobj)
    files["oblique.nii.gz"] = with_header(data, rotation(1, 12) @ rotation(2, 25) @ psr.affine, qform=True)
    ras = np.diag([0.9, 0.9, 3.0, 1.0])
    files["oblique_ras.nii.gz"] = with_header(data, rotation(0, 35) @ rotation(2, -20) @ ras, qform=True)
    for name, img in files.items():
        nib.save(img, os.path.join(HERE, name))
        goldens[name] = record(img)

    zero = psr.affine.copy()
    zero[:3, 1] = 0.0
    collinear = psr.affine.copy()
    collinear[:3, 2] = 2.0 * collinear[:3, 0]
    nan = psr.affine.copy()
    nan[1, 0] = np.nan
    for name, affine in [("degenerate_zero_axis", zero), ("degenerate_collinear", collinear), ("degenerate_nan", nan)]:
        img = nib.Nifti1Image(data, None)
        img.header.set_data_dtype(np.int16)
        img.header.set_qform(None, code=0)
        img.header.set_sform(affine, code=1)
        nib.save(img, os.path.join(HERE, f"{name}.nii.gz"))

    with open(os.path.join(HERE, "orientation_goldens.json"), "w") as f:
        json.dump(goldens, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
