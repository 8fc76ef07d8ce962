#!/usr/bin/python3
"""Recover the PaddleSeg state_dict (.pdparams) a `spineseg model build --weights` model was built from.

`spineseg model build` keeps PaddleSeg's tensors as the graph's initializers, under their Paddle names and 5-D shapes,
in the order it read them; everything else in the graph is derived from them in-graph. This tool writes those tensors
back as a Paddle-style .pdparams (a protocol-2 pickle of {name: float32 ndarray}, the format train_vnet.py's
`export` writes), so an older model can be rebuilt with the current graph form:

    /usr/bin/python3 local/training/pdparams_from_onnx.py local/models/spineseg-demo.onnx /tmp/demo.pdparams
    sha256sum /tmp/demo.pdparams   # equals the manifest's weights_sha256 when the bytes round-trip exactly
    spineseg model build --weights /tmp/demo.pdparams --grid 128,128,12 --model-id spineseg-demo-w4-phantom --out new.onnx

Needs Debian's python3-onnx and python3-numpy. Reference tooling only; the product never runs Python.
"""
import json
import os
import pickle
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "MRISpineSeg.Segmentation.Tests", "Model", "Golden"))
from paddle_vnet_torch import VNet, paddle_state_dict_keys  # noqa: E402


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: pdparams_from_onnx.py MODEL.onnx OUT.pdparams")
    model = onnx.load(argv[1])
    manifest = {p.key: p.value for p in model.metadata_props}
    # Paddle's keys are dotted module paths (e.g. in_tr.conv1.weight); graph-made constants are undotted
    # (slab_zero_constant) or carry a '#' (up_tr32.in#slab3.starts); the z-tap Slice bounds under a module path
    # (down_tr128.down_conv.shift0.starts) are int64, and every Paddle tensor is float32.
    out = {}
    for init in model.graph.initializer:
        if "." not in init.name or "#" in init.name or init.data_type != onnx.TensorProto.FLOAT:
            continue
        value = numpy_helper.to_array(init).astype(np.float32)
        if init.name.endswith("._weight"):  # PReLU slopes: Paddle's [C], stored broadcastable as [C,1,1(,1)]
            value = value.reshape(-1)
        out[init.name] = value
    if not out:
        sys.exit(f"{argv[1]}: no Paddle-named initializers found; was it written by 'spineseg model build --weights'?")
    # PaddleSeg's own key order (the order train_vnet.py's export writes), not the graph's, so the bytes and
    # therefore the SHA-256 come back the same.
    width, classes = out["in_tr.conv1.weight"].shape[0], out["out_tr.conv1.weight"].shape[0]
    elu = not any(k.endswith("._weight") for k in out)
    expected = paddle_state_dict_keys(VNet(width=width, num_classes=classes, elu=elu))
    if set(expected) != set(out):
        sys.exit(f"{argv[1]}: tensors differ from a width-{width} VNet's state_dict: "
                 f"missing {sorted(set(expected) - set(out))[:5]}, extra {sorted(set(out) - set(expected))[:5]}")
    out = {k: out[k] for k in expected}
    with open(argv[2], "wb") as f:
        pickle.dump(out, f, protocol=2)
    print(f"{len(out)} tensors, {sum(v.size for v in out.values()):,} parameters -> {argv[2]}")
    for k, v in manifest.items():
        if "sha256" in v:
            print(f"manifest {k}: {json.loads(v).get('weights_sha256', '?') if v.startswith('{') else v}")


if __name__ == "__main__":
    main(sys.argv)
