#!/usr/bin/python3
"""PyTorch baseline for BENCHMARKS.md (VNet inference): the same PaddleSeg VNet (width 16, 20 classes, PReLU, spine
kernels/strides) in eval mode on a random [1,1,512,512,12] input, torch.set_num_threads(2), no_grad.
With --arch unet3d: PaddleSeg's UNet3D (Goldens/unet3d/paddle_unet3d_torch.py) at --base-filters (8), e.g. --grid 512,512,16.
Prints load time, per-run wall and CPU seconds, RSS after building the model and peak RSS (ru_maxrss)."""
import argparse
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "MRISpineSeg.Segmentation.Tests", "Model", "Golden"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "MRISpineSeg.Segmentation.Tests", "Goldens", "unet3d"))
from paddle_vnet_torch import VNet  # noqa: E402
from paddle_unet3d_torch import UNet3D  # noqa: E402


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--grid", default="512,512,12")
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--arch", choices=["vnet", "unet3d"], default="vnet")
    p.add_argument("--base-filters", type=int, default=8)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    grid = tuple(int(v) for v in a.grid.split(","))
    t = time.time()
    model = (UNet3D(1, 20, a.base_filters) if a.arch == "unet3d" else VNet(width=a.width, num_classes=20)).eval()
    load = time.time() - t
    rss_loaded = rss_mib()
    torch.manual_seed(1)
    x = torch.rand((1, 1) + grid)
    walls, cpus = [], []
    with torch.no_grad():
        for _ in range(a.runs + 1):
            w0, c0 = time.time(), time.process_time()
            labels = model(x).argmax(1).to(torch.uint8)
            walls.append(time.time() - w0)
            cpus.append(time.process_time() - c0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("torch %s threads %d grid %s %s" % (torch.__version__, a.threads, grid,
                                           "unet3d base %d" % a.base_filters if a.arch == "unet3d" else "vnet width %d" % a.width))
    # --runs 0 makes one inference, as one `spineseg segment` process does (the whole-process comparison).
    print("load %.2f s; first run %.2f s; warm runs %s s; cpu per warm run %s s" % (
        load, walls[0], ", ".join("%.2f" % w for w in walls[1:]) or "-",
        "%.1f" % (sum(cpus[1:]) / len(cpus[1:])) if len(cpus) > 1 else "-"))
    print("rss after load %.0f MiB; peak rss (process) %.0f MiB; labels %s" % (rss_loaded, peak, tuple(labels.shape)))


if __name__ == "__main__":
    main()
