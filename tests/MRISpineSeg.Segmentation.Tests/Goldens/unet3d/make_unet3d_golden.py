#!/usr/bin/python3
"""Regenerates the UNet3D goldens the C# tests compare against (Debian's /usr/bin/python3: numpy + torch 1.13).

  unet3d_b2.pdparams     pickle (protocol 2, as paddle.save writes) of {Paddle key: float32 ndarray}: PaddleSeg's
                         UNet3D (paddle_unet3d_torch.py) at base_n_filter 2 and 5 classes, He-normal convolutions and
                         InstanceNorm scales/biases drawn away from 1/0, plus the 'StructuredToParameterName@@' entry.
  unet3d_b2_input.f32    float32 little-endian [1,1,32,48,16] row-major (z fastest), values in [0, 1).
  unet3d_b2_logits.f32   float32 little-endian [1,5,32,48,16]: PyTorch's eval-mode forward of the same network.
  upsample_input.f32     float32 [1,2,3,4,5] and upsample_torch.f32 [1,2,6,8,10]: F.interpolate(scale 2, trilinear,
                         align_corners=False), the rule Paddle's Upsample uses with align_corners=False, align_mode=0.

The grid 32x48x16 differs on every axis (an axis mix-up cannot pass) and keeps the deepest level at 2x3x1 voxels.
"""
import os
import pickle
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from paddle_unet3d_torch import UNet3D, load_paddle_state, paddle_state_dict_keys  # noqa: E402

GRID = (32, 48, 16)
BASE, CLASSES = 2, 5


def random_state(model, rng):
    state = {}
    for key, shape in paddle_state_dict_keys(model).items():
        if key.endswith(".scale"):
            v = rng.uniform(0.5, 1.5, shape)
        elif key.endswith(".bias"):
            v = rng.normal(0.0, 0.2, shape)
        else:
            fan_in = shape[1] * int(np.prod(shape[2:]))
            v = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
        state[key] = v.astype(np.float32)
    return state


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(20261207)
    model = UNet3D(1, CLASSES, BASE).eval()
    state = random_state(model, rng)
    load_paddle_state(model, state)
    pickled = dict(state)
    pickled["StructuredToParameterName@@"] = {k: "param_%d" % i for i, k in enumerate(state)}
    with open(os.path.join(HERE, "unet3d_b2.pdparams"), "wb") as f:
        pickle.dump(pickled, f, protocol=2)

    x = rng.random((1, 1) + GRID, dtype=np.float32)
    with torch.no_grad():
        logits = model(torch.from_numpy(x)).numpy().astype("<f4")
    x.astype("<f4").tofile(os.path.join(HERE, "unet3d_b2_input.f32"))
    logits.tofile(os.path.join(HERE, "unet3d_b2_logits.f32"))

    u = rng.random((1, 2, 3, 4, 5), dtype=np.float32)
    up = F.interpolate(torch.from_numpy(u), scale_factor=2, mode="trilinear", align_corners=False).numpy()
    u.astype("<f4").tofile(os.path.join(HERE, "upsample_input.f32"))
    up.astype("<f4").tofile(os.path.join(HERE, "upsample_torch.f32"))
    print("keys", len(state), "logits", logits.shape, "mean %.6f std %.6f" % (logits.mean(), logits.std()),
          "labels used", len(np.unique(logits.argmax(1))))


if __name__ == "__main__":
    main()
