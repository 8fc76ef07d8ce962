#!/usr/bin/python3
"""Regenerates the imaging goldens from nibabel and scipy (Debian: python3-nibabel, python3-scipy).

Usage: /usr/bin/python3 tests/MRISpineSeg.Imaging.Tests/Goldens/make_goldens.py

For every case it writes the input file and `<case>.json` with what nibabel says about it: shape, zooms,
get_best_affine, axis codes, codes, scaling, and the voxels as get_fdata(dtype=float32) in `<case>.f32`
(little-endian float32, x fastest, i.e. Fortran order). Resampling cases store scipy.ndimage.zoom output the way
PaddleSeg calls it: zoom(img, new/old, order=o, mode='nearest').
"""
import json
import os
import struct

import nibabel as nib
import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(20261126)


def describe(name, path, extra=None):
    img = nib.load(path)
    hdr = img.header
    data = img.get_fdata(dtype=np.float32)
    # nibabel moves scl_slope/scl_inter from the loaded header onto the array proxy.
    slope, inter = float(img.dataobj.slope), float(img.dataobj.inter)
    doc = {
        "file": os.path.basename(path),
        "shape": [int(s) for s in img.shape[:3]],
        "zooms": [float(z) for z in hdr.get_zooms()[:3]],
        "affine": img.affine.tolist(),
        "axcodes": "".join(nib.aff2axcodes(img.affine)),
        "qform_code": int(hdr["qform_code"]),
        "sform_code": int(hdr["sform_code"]),
        "datatype": str(hdr.get_data_dtype().newbyteorder("=").name),
        "slope": slope,
        "inter": inter,
        "fdata": name + ".f32",
    }
    if extra:
        doc.update(extra)
    data.reshape(-1, order="F").astype("<f4").tofile(os.path.join(HERE, name + ".f32"))
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1)


def smooth(shape, dtype, lo, hi):
    x, y, z = np.meshgrid(*[np.linspace(0, 1, n) for n in shape], indexing="ij")
    v = lo + (hi - lo) * (0.5 + 0.5 * np.sin(6 * x + 3 * y) * np.cos(4 * z + 2 * x))
    v = v + rng.uniform(-0.02, 0.02, size=shape) * (hi - lo)
    return np.clip(v, lo, hi).astype(dtype)


PSR = np.array([[0, 0, 4.4, -20.0], [-0.59, 0, 0, 35.5], [0, 0.59, 0, -12.25], [0, 0, 0, 1]])
LAS = np.array([[-0.8, 0, 0, 40.0], [0, 0.7, 0, -30.0], [0, 0, 2.5, 5.0], [0, 0, 0, 1]])


def save(img, name, ext=".nii.gz"):
    path = os.path.join(HERE, name + ext)
    nib.save(img, path)
    return path


def case_qform_psr():
    img = nib.Nifti1Image(smooth((9, 8, 6), np.float32, 0, 2650), None)
    img.set_qform(PSR, code=1)
    img.set_sform(None, code=0)
    assert img.header["pixdim"][0] == -1
    describe("qform_psr_qfac_neg", save(img, "qform_psr_qfac_neg"))


def case_sform_only():
    aff = np.array([[0.9, 0.1, 0, -10], [-0.1, 0.95, 0.05, 20], [0, -0.05, 3.0, 7.5], [0, 0, 0, 1]])
    img = nib.Nifti1Image(smooth((7, 6, 5), np.float32, -100, 100), None)
    img.set_sform(aff, code=2)
    img.set_qform(None, code=0)
    describe("sform_only", save(img, "sform_only"))


def case_both_disagree():
    img = nib.Nifti1Image(smooth((6, 7, 5), np.int16, 0, 1000), None)
    img.set_qform(PSR, code=1)
    img.set_sform(LAS, code=1)
    describe("both_disagree", save(img, "both_disagree"))


def case_big_endian_scaled():
    data = smooth((8, 7, 4), np.int16, -3000, 3000).astype(">i2")
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(">i2")
    img = nib.Nifti1Image(data, LAS, header=hdr)
    img.header.set_slope_inter(0.37, -12.5)
    path = os.path.join(HERE, "bigendian_int16_scaled.nii")
    # nibabel would rescale on save; write the header ourselves so the stored slope/intercept are exactly ours.
    hdr = img.header
    hdr.set_data_shape(data.shape)
    hdr.set_qform(LAS, code=1)
    hdr.set_sform(LAS, code=1)
    hdr["scl_slope"] = 0.37
    hdr["scl_inter"] = -12.5
    hdr["vox_offset"] = 352
    with open(path, "wb") as f:
        f.write(hdr.binaryblock)
        f.write(b"\0\0\0\0")
        f.write(np.asfortranarray(data).tobytes(order="F"))
    assert nib.load(path).header.endianness == ">"
    describe("bigendian_int16_scaled", path)


def case_uint16():
    img = nib.Nifti1Image(smooth((6, 5, 4), np.uint16, 0, 60000), PSR)
    describe("uint16", save(img, "uint16"))


def case_float64():
    img = nib.Nifti1Image(smooth((5, 6, 4), np.float64, -1e3, 1e3), LAS)
    describe("float64", save(img, "float64"))


def case_extension():
    img = nib.Nifti1Image(smooth((5, 5, 3), np.int16, 0, 500), LAS)
    img.header.extensions.append(nib.nifti1.Nifti1Extension("comment", b"MRISpineSeg golden: an extension sits between byte 348 and vox_offset"))
    path = save(img, "with_extension", ".nii")
    with open(path, "rb") as f:
        offset = int(struct.unpack("<f", f.read(112)[108:112])[0])
    assert offset > 352
    describe("with_extension", path, {"vox_offset": offset})


def case_las():
    img = nib.Nifti1Image(smooth((6, 6, 4), np.uint8, 0, 19), LAS)
    describe("las_uint8", save(img, "las_uint8"))


def case_pixdim_only():
    img = nib.Nifti1Image(smooth((6, 5, 4), np.float32, 0, 1), None)
    img.header.set_zooms((0.7, 0.8, 3.3))
    img.set_qform(None, code=0)
    img.set_sform(None, code=0)
    describe("pixdim_only", save(img, "pixdim_only"))


def case_nifti2():
    img = nib.Nifti2Image(smooth((7, 5, 4), np.float32, 0, 2650), PSR)
    img.header.set_slope_inter(2.0, 1.5)
    # nibabel applies the slope when it saves a float image; store as float64 scaled values to keep them.
    describe("nifti2_float32", save(img, "nifti2_float32"))


def case_resample():
    shape_in, shape_out = (101, 97, 12), (52, 50, 12)
    image = smooth(shape_in, np.float32, 0, 2650).round()
    labels = np.zeros(shape_in, np.uint8)
    for k in range(1, 20):
        y0 = 3 + 4 * (k - 1)
        labels[10 + k: 60 + k, y0:y0 + 4, 2:10] = k
    img = nib.Nifti1Image(image, PSR)
    lab = nib.Nifti1Image(labels, PSR)
    save(img, "resample_image")
    save(lab, "resample_labels")
    factor = np.array(shape_out) / np.array(shape_in)
    out1 = ndimage.zoom(image, factor, order=1, mode="nearest")
    out0 = ndimage.zoom(labels, factor, order=0, mode="nearest")
    assert out1.shape == shape_out and out0.shape == shape_out
    out1.reshape(-1, order="F").astype("<f4").tofile(os.path.join(HERE, "resample_image_order1.f32"))
    out0.reshape(-1, order="F").astype(np.uint8).tofile(os.path.join(HERE, "resample_labels_order0.u8"))
    with open(os.path.join(HERE, "resample.json"), "w") as f:
        json.dump({"in": list(shape_in), "out": list(shape_out)}, f)


if __name__ == "__main__":
    case_qform_psr()
    case_sform_only()
    case_both_disagree()
    case_big_endian_scaled()
    case_uint16()
    case_float64()
    case_extension()
    case_las()
    case_pixdim_only()
    case_nifti2()
    case_resample()
    print("goldens written to", HERE)
