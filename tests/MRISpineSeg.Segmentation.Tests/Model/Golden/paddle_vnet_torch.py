"""PaddleSeg MedicalSeg VNet (medicalseg/models/vnet.py) re-expressed in PyTorch 1.13, width-generic.

Module attribute names follow Paddle's, so a Paddle state_dict loads after renaming the BatchNorm statistics
(_mean -> running_mean, _variance -> running_var) and the PReLU slope (_weight -> weight).
Used by make_vnet_golden.py (goldens for the C# tests) and by the model benchmark (PyTorch baseline).
"""
import torch
import torch.nn as nn

SPINE_KERNELS = ((2, 2, 4), (2, 2, 2), (2, 2, 2), (2, 2, 2))
SPINE_STRIDES = ((2, 2, 1), (2, 2, 1), (2, 2, 2), (2, 2, 2))


def act(elu, channels):
    return nn.ELU() if elu else nn.PReLU(channels)


class LUConv(nn.Module):
    def __init__(self, nchan, elu):
        super().__init__()
        self.relu1 = act(elu, nchan)
        self.conv1 = nn.Conv3d(nchan, nchan, kernel_size=5, padding=2)
        self.bn1 = nn.BatchNorm3d(nchan, eps=1e-5)

    def forward(self, x):
        return self.relu1(self.bn1(self.conv1(x)))


class InputTransition(nn.Module):
    def __init__(self, width, elu):
        super().__init__()
        self.width = width
        self.conv1 = nn.Conv3d(1, width, kernel_size=5, padding=2)
        self.bn1 = nn.BatchNorm3d(width, eps=1e-5)
        self.relu1 = act(elu, width)

    def forward(self, x):
        out = self.bn1(self.conv1(x))
        return self.relu1(out + x.repeat(1, self.width, 1, 1, 1))


class DownTransition(nn.Module):
    def __init__(self, in_ch, n_convs, elu, kernel, stride):
        super().__init__()
        out_ch = 2 * in_ch
        self.down_conv = nn.Conv3d(in_ch, out_ch, kernel_size=kernel, stride=stride)
        self.bn1 = nn.BatchNorm3d(out_ch, eps=1e-5)
        self.relu1 = act(elu, out_ch)
        self.relu2 = act(elu, out_ch)
        self.ops = nn.Sequential(*[LUConv(out_ch, elu) for _ in range(n_convs)])

    def forward(self, x):
        down = self.relu1(self.bn1(self.down_conv(x)))
        return self.relu2(self.ops(down) + down)  # dropout is identity in eval


class UpTransition(nn.Module):
    def __init__(self, in_ch, out_ch, n_convs, elu, kernel, stride):
        super().__init__()
        self.up_conv = nn.ConvTranspose3d(in_ch, out_ch // 2, kernel_size=kernel, stride=stride)
        self.bn1 = nn.BatchNorm3d(out_ch // 2, eps=1e-5)
        self.relu1 = act(elu, out_ch // 2)
        self.relu2 = act(elu, out_ch)
        self.ops = nn.Sequential(*[LUConv(out_ch, elu) for _ in range(n_convs)])

    def forward(self, x, skip):
        out = self.relu1(self.bn1(self.up_conv(x)))
        xcat = torch.cat((out, skip), 1)
        return self.relu2(self.ops(xcat) + xcat)


class OutputTransition(nn.Module):
    def __init__(self, in_ch, num_classes, elu):
        super().__init__()
        self.conv1 = nn.Conv3d(in_ch, num_classes, kernel_size=5, padding=2)
        self.bn1 = nn.BatchNorm3d(num_classes, eps=1e-5)
        self.conv2 = nn.Conv3d(num_classes, num_classes, kernel_size=1)
        self.relu1 = act(elu, num_classes)

    def forward(self, x):
        return self.conv2(self.relu1(self.bn1(self.conv1(x))))


class VNet(nn.Module):
    def __init__(self, width=16, num_classes=20, elu=False, kernels=SPINE_KERNELS, strides=SPINE_STRIDES):
        super().__init__()
        w = width
        self.in_tr = InputTransition(w, elu)
        self.down_tr32 = DownTransition(w, 1, elu, kernels[0], strides[0])
        self.down_tr64 = DownTransition(2 * w, 2, elu, kernels[1], strides[1])
        self.down_tr128 = DownTransition(4 * w, 3, elu, kernels[2], strides[2])
        self.down_tr256 = DownTransition(8 * w, 2, elu, kernels[3], strides[3])
        self.up_tr256 = UpTransition(16 * w, 16 * w, 2, elu, kernels[3], strides[3])
        self.up_tr128 = UpTransition(16 * w, 8 * w, 2, elu, kernels[2], strides[2])
        self.up_tr64 = UpTransition(8 * w, 4 * w, 1, elu, kernels[1], strides[1])
        self.up_tr32 = UpTransition(4 * w, 2 * w, 1, elu, kernels[0], strides[0])
        self.out_tr = OutputTransition(2 * w, num_classes, elu)

    def forward(self, x):
        out16 = self.in_tr(x)
        out32 = self.down_tr32(out16)
        out64 = self.down_tr64(out32)
        out128 = self.down_tr128(out64)
        out256 = self.down_tr256(out128)
        out = self.up_tr256(out256, out128)
        out = self.up_tr128(out, out64)
        out = self.up_tr64(out, out32)
        out = self.up_tr32(out, out16)
        return self.out_tr(out)


def paddle_to_torch_key(key):
    if key.endswith("._mean"):
        return key[: -len("._mean")] + ".running_mean"
    if key.endswith("._variance"):
        return key[: -len("._variance")] + ".running_var"
    if key.endswith("._weight"):
        return key[: -len("._weight")] + ".weight"
    return key


def torch_to_paddle_key(key):
    if key.endswith(".running_mean"):
        return key[: -len(".running_mean")] + "._mean"
    if key.endswith(".running_var"):
        return key[: -len(".running_var")] + "._variance"
    parts = key.split(".")
    if parts[-1] == "weight" and parts[-2].startswith("relu"):
        return ".".join(parts[:-1]) + "._weight"
    return key


def paddle_state_dict_keys(model):
    """Paddle keys with Paddle shapes, skipping torch's num_batches_tracked."""
    return {torch_to_paddle_key(k): tuple(v.shape) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}


def load_paddle_state(model, state):
    sd = {paddle_to_torch_key(k): torch.from_numpy(v) for k, v in state.items() if k != "StructuredToParameterName@@"}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    assert not missing and not unexpected, (missing, unexpected)
