#!/usr/bin/python3
"""PyTorch anchor for the GPU benchmark (BENCHMARKS.md): the PaddleSeg VNet re-expressed in PyTorch
(tests/MRISpineSeg.Segmentation.Tests/Model/Golden/paddle_vnet_torch.py), random weights, eval, fp16 weights and
activations on CUDA with cudnn.benchmark. Each timed run does what `spineseg model bench --device cuda` does: a float32
[1,1,512,512,12] volume from host memory to the device, the network, argmax, uint8 labels back to the host."""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "MRISpineSeg.Segmentation.Tests", "Model", "Golden"))
from paddle_vnet_torch import VNet  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--grid", default="512,512,12")
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--runs", type=int, default=20)
    a = p.parse_args()
    grid = tuple(int(v) for v in a.grid.split(","))
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(7)
    model = VNet(width=a.width, num_classes=20).eval().cuda().half()
    x = torch.rand((1, 1) + grid).pin_memory()
    times = []
    with torch.no_grad():
        for _ in range(a.runs + 3):
            torch.cuda.synchronize()
            t = time.perf_counter()
            labels = model(x.cuda(non_blocking=True).half()).argmax(1).to(torch.uint8).cpu()
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t)
    warm = times[3:]
    med = statistics.median(warm)
    print("torch %s cuda fp16 %s grid %s width %d; first run %.3f s; median %.4f s over %d warm runs; min %.4f s; %.1f volumes per second; labels %s" % (
        torch.__version__, torch.cuda.get_device_name(0), grid, a.width, times[0], med, len(warm), min(warm), 1 / med, tuple(labels.shape)))


if __name__ == "__main__":
    main()
