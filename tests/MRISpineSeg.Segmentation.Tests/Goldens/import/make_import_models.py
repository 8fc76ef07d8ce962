#!/usr/bin/python3
"""Regenerates the external ONNX models `spineseg model import` is tested on, exported by torch.onnx.export
(Debian's /usr/bin/python3 with torch 1.13; opset 14), as a user would export a model trained elsewhere.

  tiny_fixed.onnx     Conv3d(1->4, 3, pad 1) -> ReLU -> Conv3d(4->20, 1): input 'x' [1,1,16,16,16], output 'y'
                      [1,20,16,16,16] (20 classes: the MRSpineSeg table), fixed shapes; seeded random weights.
  tiny_fixed_input.f32 / tiny_fixed_logits.f32   float32 [1,1,16,16,16] and PyTorch's logits [1,20,16,16,16].
  tiny_dynamic.onnx   the same network with dynamic batch and spatial axes ('x' [N,1,D,H,W]).
  two_inputs.onnx     a network with two inputs (image and a second channel).
  rank4.onnx          a 2-D network: input [1,1,32,32], output [1,20,32,32].
"""
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Tiny(nn.Module):
    def __init__(self, classes=20, conv=nn.Conv3d):
        super().__init__()
        self.a = conv(1, 4, 3, padding=1)
        self.b = conv(4, classes, 1)

    def forward(self, x):
        return self.b(torch.relu(self.a(x)))


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Tiny()

    def forward(self, x, extra):
        return self.net(x + extra)


def export(model, args, name, **kw):
    torch.onnx.export(model, args, os.path.join(HERE, name), opset_version=14, input_names=kw.pop("input_names", ["x"]),
                      output_names=["y"], **kw)


def main():
    torch.manual_seed(16)
    tiny = Tiny().eval()
    x = torch.rand(1, 1, 16, 16, 16)
    export(tiny, (x,), "tiny_fixed.onnx")
    export(tiny, (x,), "tiny_dynamic.onnx", dynamic_axes={"x": {0: "n", 2: "d", 3: "h", 4: "w"}, "y": {0: "n", 2: "d", 3: "h", 4: "w"}})
    export(TwoInputs().eval(), (x, x), "two_inputs.onnx", input_names=["x", "extra"])
    export(Tiny(conv=nn.Conv2d).eval(), (torch.rand(1, 1, 32, 32),), "rank4.onnx")
    with torch.no_grad():
        logits = tiny(x).numpy()
    x.numpy().astype("<f4").tofile(os.path.join(HERE, "tiny_fixed_input.f32"))
    logits.astype("<f4").tofile(os.path.join(HERE, "tiny_fixed_logits.f32"))
    print("logits", logits.shape, "labels used", len(np.unique(logits.argmax(1))))


if __name__ == "__main__":
    main()
