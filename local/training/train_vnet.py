#!/usr/bin/python3
"""Trains PaddleSeg's VNet or UNet3D on NIfTI pairs: the demo models on synthetic phantoms (issues 5, 16) and the real
vertebral-body model on chu2015 scans (issue 15). CPU PyTorch from Debian (python3-torch 1.13), numpy, scipy, nibabel.

    /usr/bin/python3 local/training/train_vnet.py prepare --pairs DIR --cache data.npz [--grid 128,128,12] [--orientation PSR]
    /usr/bin/python3 local/training/train_vnet.py train   --cache data.npz --work WORKDIR --steps 3000 [--classes 20]
                                                          [--val-ids 2,10,18] [--augment phantom|real]
    /usr/bin/python3 local/training/train_vnet.py export  --work WORKDIR --out model.pdparams

* Network: PaddleSeg's VNet (medicalseg/models/vnet.py, spine kernels/strides, PReLU), narrow base width (4),
  re-expressed in PyTorch with Paddle's state_dict names (tests/.../Model/Golden/paddle_vnet_torch.py); or, with
  `train --arch unet3d --width 8`, PaddleSeg's UNet3D (medicalseg/models/unet3d.py; tests/.../Goldens/unet3d/
  paddle_unet3d_torch.py), whose grid extents must be multiples of 16 (prepare --grid 128,128,16).
* Data: pairs Case{N}.nii.gz + mask_case{N}.nii.gz (phantoms written by `spineseg phantom`, or real scans), brought to
  the model grid exactly as `spineseg segment` does (spine_data.py: nibabel's orientation transform to the model's
  axis codes, x = clip(x / 2650, 0, 1), scipy.ndimage.zoom(order=1, mode='nearest'), x / max; labels zoomed with
  order 0). A golden test holds the product to the same numbers (ScanOnGridGoldenTests).
* Recipe (PaddleSeg): SGD momentum 0.9, weight decay 1e-4, poly learning rate (power 0.9), cross-entropy + Dice loss,
  random in-plane rotation and left-right flips. `--augment real` adds, for scans from other scanners and exports:
  an in-plane scale of 0.85-1.15, a gamma of 0.7-1.4, and (half the time) the floor a z-scored export leaves after the
  product's clip at 0 (everything below a random 30-60th percentile set to 0, then renormalised to max 1).
* Checkpoints every --save-every steps to WORKDIR/checkpoint.pt and resumes from it, so it can run in the background.
* Export writes a Paddle-style .pdparams: a pickle (protocol 2) of {Paddle key: float32 ndarray}; `spineseg model build
  --weights` turns it into the ONNX model, the same path PaddleSeg's published weights take.
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
sys.path.insert(0, os.path.join(ROOT, "tests", "MRISpineSeg.Segmentation.Tests", "Goldens", "unet3d"))
sys.path.insert(0, HERE)
import paddle_unet3d_torch  # noqa: E402
from paddle_vnet_torch import VNet, torch_to_paddle_key  # noqa: E402
from spine_data import case_number, mask_on_grid, scan_on_grid  # noqa: E402


def pairs(folder):
    """(case number, scan path, mask path) for every Case{N}.nii.gz with a mask_case{N}.nii.gz beside it."""
    found = []
    for scan in glob.glob(os.path.join(folder, "Case*.nii.gz")):
        digits = re.findall(r"\d+", os.path.basename(scan))[0]
        mask = os.path.join(folder, f"mask_case{digits}.nii.gz")
        if not os.path.exists(mask):
            sys.exit(f"{scan}: no mask beside it (expected {mask}); every training scan needs its mask")
        found.append((case_number(scan), scan, mask))
    if not found:
        sys.exit(f"{folder}: no Case{{N}}.nii.gz files")
    return sorted(found)


def paddle_key(arch, model):
    """The Paddle state_dict key of a torch key, for the network at hand."""
    if arch == "unet3d":
        return lambda k: paddle_unet3d_torch.torch_to_paddle_key(k, model)
    return torch_to_paddle_key


def load_pdparams(model, path, arch="vnet"):
    """Loads Paddle-keyed weights (what `export` writes, or pdparams_from_onnx.py recovers from a built model) into the
    torch VNet; every key and shape must match, as `spineseg model build --weights` demands."""
    with open(path, "rb") as f:
        weights = pickle.load(f)
    state = model.state_dict()
    key = paddle_key(arch, model)
    wanted = {key(k): k for k in state if not k.endswith("num_batches_tracked")}
    missing, unexpected = sorted(set(wanted) - set(weights)), sorted(set(weights) - set(wanted))
    if missing or unexpected:
        sys.exit(f"--init {path}: missing keys {missing[:5]}, unexpected keys {unexpected[:5]} (is --width/--classes right?)")
    for pk, tk in wanted.items():
        v = torch.from_numpy(np.asarray(weights[pk], dtype=np.float32))
        if tuple(v.shape) != tuple(state[tk].shape):
            sys.exit(f"--init {path}: {pk} has shape {tuple(v.shape)}, the network wants {tuple(state[tk].shape)}")
        state[tk] = v
    model.load_state_dict(state)


def cmd_prepare(a):
    grid = tuple(int(v) for v in a.grid.split(","))
    xs, ys, ids = [], [], []
    for n, scan, mask in pairs(a.pairs):
        xs.append(scan_on_grid(nib.load(scan), grid, a.orientation))
        ys.append(mask_on_grid(nib.load(mask), grid, a.orientation))
        ids.append(n)
    np.savez_compressed(a.cache, x=np.stack(xs), y=np.stack(ys), ids=np.array(ids), grid=np.array(grid),
                        orientation=np.array(a.orientation))
    print(f"prepared {len(ids)} cases at {grid} ({a.orientation}) -> {a.cache}")


def augment(x, y, rng, real=False, shift=0.0):
    """Random rotation in the sagittal plane (axes 0-1) and random left-right flip (axis 2); x [B,1,X,Y,Z], y [B,X,Y,Z].
    With real=True also an in-plane scale, a gamma and, half the time, a z-score floor (see the module docstring).
    shift > 0 also moves the picture in-plane by up to that fraction of each extent, so the network cannot name a
    level by where it sits in the field of view and has to count from the anatomy (sacrum, ribs) instead."""
    b = x.shape[0]
    angles = torch.tensor(rng.uniform(-12, 12, b) * math.pi / 180, dtype=torch.float32)
    scale = torch.tensor(rng.uniform(0.85, 1.15, b) if real else np.ones(b), dtype=torch.float32)
    cos, sin = torch.cos(angles) * scale, torch.sin(angles) * scale
    theta = torch.zeros(b, 3, 4)
    # grid_sample coordinates are (W=z, H=y, D=x); rotate x-y (D-H), keep z.
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = cos
    theta[:, 1, 2] = -sin
    theta[:, 2, 1] = sin
    theta[:, 2, 2] = cos
    if shift > 0:
        # normalised coordinates span [-1, 1], so a fraction f of the extent is 2f
        theta[:, 1, 3] = torch.tensor(rng.uniform(-2 * shift, 2 * shift, b), dtype=torch.float32)
        theta[:, 2, 3] = torch.tensor(rng.uniform(-2 * shift, 2 * shift, b), dtype=torch.float32)
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)
    y = F.grid_sample(y[:, None].float(), grid, mode="nearest", padding_mode="zeros", align_corners=True)[:, 0].long()
    flip = torch.tensor(rng.random(b) < 0.5)
    x[flip] = torch.flip(x[flip], dims=[-1])
    y[flip] = torch.flip(y[flip], dims=[-1])
    if real:
        for i in range(b):
            v = x[i]
            if rng.random() < 0.5:
                floor = torch.quantile(v.flatten()[::7], float(rng.uniform(0.3, 0.6)))
                v = torch.clamp(v - floor, min=0)
            v = v.clamp(min=0) ** float(rng.uniform(0.7, 1.4))
            m = v.max()
            x[i] = v / m if m > 0 else v
    return x, y


def dice_loss(logits, y):
    p = torch.softmax(logits, 1)
    onehot = F.one_hot(y, logits.shape[1]).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    inter = (p * onehot).sum(dims)
    denom = p.sum(dims) + onehot.sum(dims)
    present = onehot.sum(dims) > 0
    dice = (2 * inter + 1e-5) / (denom + 1e-5)
    return 1 - dice[present].mean()


def quick_dice(model, x, y, classes):
    """Challenge-style mean Dice over the foreground classes present in either, at the model grid."""
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(1)
    model.train()
    scores = []
    for i in range(x.shape[0]):
        per = []
        for c in range(1, classes):
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
    ids = data["ids"].tolist()
    if a.val_ids:
        val = [int(v) for v in a.val_ids.split(",")]
        unknown = [v for v in val if v not in ids]
        if unknown:
            sys.exit(f"--val-ids {unknown} are not in {a.cache} (cases {ids})")
    else:
        val = ids[: min(4, len(ids) // 10)]
    held = torch.tensor([i in val for i in ids])
    xv, yv = xs[held], ys[held]
    xt, yt = xs[~held], ys[~held]
    train_ids = [i for i in ids if i not in val]
    if int(ys.max()) >= a.classes:
        sys.exit(f"labels go up to {int(ys.max())} but --classes is {a.classes}; it must be at least {int(ys.max()) + 1}")
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    model = new_model(a.arch, a.width, a.classes, a.dropout)
    if a.init:
        load_pdparams(model, a.init, a.arch)
        print(f"initialised from {a.init}", flush=True)
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
        x, y = augment(xt[idx].clone(), yt[idx].clone(), rng, real=a.augment == "real", shift=a.shift)
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
                entry["val_dice"] = quick_dice(model, xv, yv, a.classes)
                print(f"step {step} validation dice {entry['val_dice']:.4f}", flush=True)
            log.append(entry)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "log": log,
                        "width": a.width, "grid": data["grid"].tolist(), "train_ids": train_ids, "val_ids": val, "classes": a.classes,
                        "augment": a.augment, "arch": a.arch, "lr": a.lr, "planned_steps": a.steps, "shift": a.shift, "init": a.init}, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
    with open(os.path.join(a.work, "training_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    print("done", flush=True)


def new_model(arch, width, classes, dropout=0.0):
    """PaddleSeg's VNet (width = base width, PReLU) or UNet3D (width = base_n_filter)."""
    if arch == "unet3d":
        return paddle_unet3d_torch.UNet3D(1, classes, width, dropout=dropout)
    return VNet(width=width, num_classes=classes, elu=False)


def cmd_export(a):
    state = torch.load(os.path.join(a.work, "checkpoint.pt"))
    arch = state.get("arch", "vnet")
    model = new_model(arch, state["width"], state["classes"])
    key = paddle_key(arch, model)
    out = {}
    for k, v in state["model"].items():
        if k.endswith("num_batches_tracked"):
            continue
        out[key(k)] = v.detach().cpu().numpy().astype(np.float32)
    with open(a.out, "wb") as f:
        pickle.dump(out, f, protocol=2)
    meta = {k: state.get(k) for k in ("step", "width", "grid", "train_ids", "val_ids", "classes", "augment", "arch", "lr", "planned_steps", "shift", "init")}
    meta["elapsed_s"] = state["log"][-1]["elapsed_s"] if state["log"] else 0
    meta["log_tail"] = state["log"][-3:]
    with open(a.out + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    print(f"exported {len(out)} tensors from step {state['step']} -> {a.out}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("prepare")
    pp.add_argument("--pairs", "--phantoms", dest="pairs", required=True, help="folder of Case{N}.nii.gz + mask_case{N}.nii.gz")
    pp.add_argument("--orientation", default="PSR", help="the model's axis codes (the manifest's orientation)")
    pp.add_argument("--cache", required=True)
    pp.add_argument("--grid", default="128,128,12")
    pt = sub.add_parser("train")
    pt.add_argument("--cache", required=True)
    pt.add_argument("--work", required=True)
    pt.add_argument("--steps", type=int, default=3000)
    pt.add_argument("--batch", type=int, default=2)
    pt.add_argument("--arch", choices=["vnet", "unet3d"], default="vnet")
    pt.add_argument("--width", type=int, default=4, help="VNet base width (PaddleSeg: 16) or UNet3D base_n_filter (8)")
    pt.add_argument("--dropout", type=float, default=0.0,
                    help="UNet3D's Dropout3D rate while training (Paddle's layer: 0.6; identity at inference)")
    pt.add_argument("--classes", type=int, default=20, help="output classes including background (labels 0..classes-1)")
    pt.add_argument("--val-ids", default="", help="held-out case numbers; default: the first tenth, at most 4")
    pt.add_argument("--augment", choices=["phantom", "real"], default="phantom")
    pt.add_argument("--lr", type=float, default=0.1)
    pt.add_argument("--seed", type=int, default=7)
    pt.add_argument("--threads", type=int, default=2)
    pt.add_argument("--save-every", type=int, default=50)
    pt.add_argument("--shift", type=float, default=0.0, help="in-plane translation, up to this fraction of each extent (0: none)")
    pt.add_argument("--init", default="", help="start from these weights (.pdparams with Paddle keys), e.g. to fine-tune a model")
    pe = sub.add_parser("export")
    pe.add_argument("--work", required=True)
    pe.add_argument("--out", required=True)
    a = p.parse_args()
    {"prepare": cmd_prepare, "train": cmd_train, "export": cmd_export}[a.cmd](a)


if __name__ == "__main__":
    main()
