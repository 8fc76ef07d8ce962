#!/usr/bin/python3
"""Regenerates the VNet goldens the C# tests compare against (run with Debian's /usr/bin/python3: numpy + torch 1.13).

  vnet_w1.pdparams      pickle (protocol 2, as paddle.save writes) of {Paddle key: float32 ndarray}, width 1,
                        20 classes, PReLU, random weights with non-trivial BN statistics and slopes, plus the
                        'StructuredToParameterName@@' bookkeeping entry paddle.save adds.
  vnet_w1_input.f32     float32 little-endian [1,1,16,16,12] row-major, values in [0, 1).
  vnet_w1_logits.f32    float32 little-endian [1,20,16,16,12]: PyTorch's eval-mode forward of the same network.
  numpy_variants.pkl    protocol 4 pickle exercising the reader: float64, big-endian, Fortran order, float16.

Width 1 keeps the committed weights under 1 MB; every layer type and the spine kernel/stride lists are exercised.
"""
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paddle_vnet_torch import VNet, load_paddle_state, paddle_state_dict_keys  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GRID = (16, 16, 12)


def random_state(model, rng):
    state = {}
    for key, shape in paddle_state_dict_keys(model).items():
        if key.endswith("._mean") or key.endswith(".bias"):
            v = rng.normal(0.0, 0.1, shape)
        elif key.endswith("._variance"):
            v = rng.uniform(0.5, 1.5, shape)
        elif key.endswith("._weight"):
            v = rng.uniform(0.0, 0.5, shape)
        elif len(shape) == 1:  # BN gamma
            v = rng.uniform(0.5, 1.5, shape)
        else:  # conv / conv-transpose, He normal on fan_in = shape[1] * prod(kernel)
            fan_in = shape[1] * int(np.prod(shape[2:]))
            v = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
        state[key] = v.astype(np.float32)
    return state


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(20240611)
    model = VNet(width=1, num_classes=20, elu=False).eval()
    state = random_state(model, rng)
    load_paddle_state(model, state)
    pickled = dict(state)
    pickled["StructuredToParameterName@@"] = {k: "param_%d" % i for i, k in enumerate(state)}
    with open(os.path.join(HERE, "vnet_w1.pdparams"), "wb") as f:
        pickle.dump(pickled, f, protocol=2)

    x = rng.random((1, 1) + GRID, dtype=np.float32)
    with torch.no_grad():
        logits = model(torch.from_numpy(x)).numpy().astype("<f4")
    x.astype("<f4").tofile(os.path.join(HERE, "vnet_w1_input.f32"))
    logits.tofile(os.path.join(HERE, "vnet_w1_logits.f32"))

    base = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 8.0
    variants = {
        "f8": base,
        "f4_big": base.astype(">f4"),
        "f4_fortran": np.asfortranarray(base.astype(np.float32)),
        "f2": base.astype(np.float16),
    }
    with open(os.path.join(HERE, "numpy_variants.pkl"), "wb") as f:
        pickle.dump(variants, f, protocol=4)
    print("logits", logits.shape, "mean %.6f std %.6f" % (logits.mean(), logits.std()),
          "labels used", len(np.unique(logits.argmax(1))))


if __name__ == "__main__":
    main()
