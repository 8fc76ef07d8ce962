#!/usr/bin/python3
"""Trains the demo VNet on synthetic phantoms (issue 5). CPU PyTorch from Debian (python3-torch 1.13), numpy, scipy, nibabel.

    /usr/bin/python3 local/training/train_demo_vnet.py prepare --phantoms DIR --cache data.npz
    /usr/bin/python3 local/training/train_demo_vnet.py train   --cache data.npz --work WORKDIR --steps 3000
    /usr/bin/python3 local/training/train_demo_vnet.py export  --work WORKDIR --out model.pdparams

* Network: PaddleSeg's VNet (medicalseg/models/vnet.py, spine kernels/strides, PReLU), narrow base width (4), 20 classes,
  re-expressed in PyTorch with Paddle's state_dict names (tests/.../Model/Golden/paddle_vnet_torch.py).
* Data: phantoms written by `spineseg phantom` (Case{N}.nii.gz + mask_case{N}.nii.gz), preprocessed exactly as PaddleSeg
  and the C# pipeline do: x = clip(x / 2650, 0, 1) -> scipy.ndimage.zoom(order=1, mode='nearest') to the grid -> x / max;
  labels zoomed with order 0.
* Recipe (PaddleSeg): SGD momentum 0.9, weight decay 1e-4, poly learning rate (power 0.9), cross-entropy + Dice loss,
  random in-plane rotation and left-right flips.
* Checkpoints every --save-every steps to WORKDIR/checkpoint.pt and resumes from it, so it can run in the background.
* Export writes a Paddle-style .pdparams: a pickle (protocol 2) of {Paddle key: float32 ndarray}; `spineseg model build
  --weights` turns it into the ONNX demo model, the same path PaddleSeg's published weights take.
"""
import argparse
import glob
import json
import math
import os
import pickle
import re
import sys
import time

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "MRISpineSeg.Segmentation.Tests", "Model", "Golden"))
from paddle_vnet_torch import VNet, torch_to_paddle_key  # noqa: E402

CLIP = 2650.0
NUM_CLASSES = 20


def preprocess(scan_path, mask_path, grid):
    img = nib.load(scan_path).get_fdata(dtype=np.float32)
    img = np.clip(img / CLIP, 0, 1)
    img = ndimage.zoom(img, np.array(grid) / np.array(img.shape), order=1, mode="nearest")
    m = img.max()
    if m > 0:
        img = img / m
    lab = np.asanyarray(nib.load(mask_path).dataobj)
    lab = ndimage.zoom(lab, np.array(grid) / np.array(lab.shape), order=0, mode="nearest")
    return img.astype(np.float32), lab.astype(np.uint8)


def cmd_prepare(a):
    grid = tuple(int(v) for v in a.grid.split(","))
    scans = sorted(glob.glob(os.path.join(a.phantoms, "Case*.nii.gz")), key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    xs, ys, ids = [], [], []
    for s in scans:
        n = int(re.findall(r"\d+", os.path.basename(s))[0])
        x, y = preprocess(s, os.path.join(a.phantoms, f"mask_case{n}.nii.gz"), grid)
        xs.append(x)
        ys.append(y)
        ids.append(n)
    np.savez_compressed(a.cache, x=np.stack(xs), y=np.stack(ys), ids=np.array(ids), grid=np.array(grid))
    print(f"prepared {len(ids)} cases at {grid} -> {a.cache}")


def augment(x, y, rng):
    """Random rotation in the sagittal plane (axes 0-1) and random left-right flip (axis 2); x [B,1,X,Y,Z], y [B,X,Y,Z]."""
    b = x.shape[0]
    angles = torch.tensor(rng.uniform(-12, 12, b) * math.pi / 180, dtype=torch.float32)
    cos, sin = torch.cos(angles), torch.sin(angles)
    theta = torch.zeros(b, 3, 4)
    # grid_sample coordinates are (W=z, H=y, D=x); rotate x-y (D-H), keep z.
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = cos
    theta[:, 1, 2] = -sin
    theta[:, 2, 1] = sin
    theta[:, 2, 2] = cos
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)
    y = F.grid_sample(y[:, None].float(), grid, mode="nearest", padding_mode="zeros", align_corners=True)[:, 0].long()
    flip = torch.tensor(rng.random(b) < 0.5)
    x[flip] = torch.flip(x[flip], dims=[-1])
    y[flip] = torch.flip(y[flip], dims=[-1])
    return x, y


def dice_loss(logits, y):
    p = torch.softmax(logits, 1)
    onehot = F.one_hot(y, NUM_CLASSES).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    inter = (p * onehot).sum(dims)
    denom = p.sum(dims) + onehot.sum(dims)
    present = onehot.sum(dims) > 0
    dice = (2 * inter + 1e-5) / (denom + 1e-5)
    return 1 - dice[present].mean()


def quick_dice(model, x, y):
    """Challenge-style mean Dice over classes 1-19 present in either, at the model grid."""
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(1)
    model.train()
    scores = []
    for i in range(x.shape[0]):
        per = []
        for c in range(1, NUM_CLASSES):
            t, p = y[i] == c, pred[i] == c
            s = int(t.sum()) + int(p.sum())
            if s:
                per.append(2 * int((t & p).sum()) / s)
        scores.append(np.mean(per))
    return float(np.mean(scores))


def cmd_train(a):
    torch.set_num_threads(a.threads)
    os.makedirs(a.work, exist_ok=True)
    data = np.load(a.cache)
    xs, ys = torch.from_numpy(data["x"])[:, None], torch.from_numpy(data["y"]).long()
    n_val = min(4, len(xs) // 10)
    xv, yv = xs[:n_val], ys[:n_val]
    xt, yt = xs[n_val:], ys[n_val:]
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    model = VNet(width=a.width, num_classes=NUM_CLASSES, elu=False)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=1e-4)
    ckpt = os.path.join(a.work, "checkpoint.pt")
    step, log = 0, []
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step, log = state["step"], state["log"]
        rng = np.random.default_rng(a.seed + step)
        print(f"resumed at step {step}", flush=True)
    model.train()
    t0 = time.time()
    elapsed_before = log[-1]["elapsed_s"] if log else 0.0
    while step < a.steps:
        lr = a.lr * (1 - step / a.steps) ** 0.9
        for g in opt.param_groups:
            g["lr"] = lr
        idx = rng.choice(len(xt), a.batch, replace=False)
        x, y = augment(xt[idx].clone(), yt[idx].clone(), rng)
        logits = model(x)
        loss = F.cross_entropy(logits, y) + dice_loss(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 10 == 0:
            print(f"step {step} loss {loss.item():.4f} lr {lr:.4f} {(time.time() - t0) / max(1, len(log) and 1):.0f}s", flush=True)
        if step % a.save_every == 0 or step == a.steps:
            entry = {"step": step, "loss": float(loss.item()), "elapsed_s": elapsed_before + time.time() - t0}
            if step % (a.save_every * 5) == 0 or step == a.steps:
                entry["val_dice"] = quick_dice(model, xv, yv)
                print(f"step {step} validation dice {entry['val_dice']:.4f}", flush=True)
            log.append(entry)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "log": log,
                        "width": a.width, "grid": data["grid"].tolist(), "train_ids": data["ids"][n_val:].tolist()}, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
    with open(os.path.join(a.work, "training_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    print("done", flush=True)


def cmd_export(a):
    state = torch.load(os.path.join(a.work, "checkpoint.pt"))
    out = {}
    for k, v in state["model"].items():
        if k.endswith("num_batches_tracked"):
            continue
        out[torch_to_paddle_key(k)] = v.detach().cpu().numpy().astype(np.float32)
    with open(a.out, "wb") as f:
        pickle.dump(out, f, protocol=2)
    meta = {k: state[k] for k in ("step", "width", "grid", "train_ids")}
    meta["elapsed_s"] = state["log"][-1]["elapsed_s"] if state["log"] else 0
    meta["log_tail"] = state["log"][-3:]
    with open(a.out + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    print(f"exported {len(out)} tensors from step {state['step']} -> {a.out}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("prepare")
    pp.add_argument("--phantoms", required=True)
    pp.add_argument("--cache", required=True)
    pp.add_argument("--grid", default="128,128,12")
    pt = sub.add_parser("train")
    pt.add_argument("--cache", required=True)
    pt.add_argument("--work", required=True)
    pt.add_argument("--steps", type=int, default=3000)
    pt.add_argument("--batch", type=int, default=2)
    pt.add_argument("--width", type=int, default=4)
    pt.add_argument("--lr", type=float, default=0.1)
    pt.add_argument("--seed", type=int, default=7)
    pt.add_argument("--threads", type=int, default=2)
    pt.add_argument("--save-every", type=int, default=50)
    pe = sub.add_parser("export")
    pe.add_argument("--work", required=True)
    pe.add_argument("--out", required=True)
    a = p.parse_args()
    {"prepare": cmd_prepare, "train": cmd_train, "export": cmd_export}[a.cmd](a)


if __name__ == "__main__":
    main()
