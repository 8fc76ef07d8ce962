"""PaddleSeg MedicalSeg UNet3D (medicalseg/models/unet3d.py, from MedicalZooPytorch) re-expressed in PyTorch 1.13.

Module attribute names are Paddle's, so a Paddle state_dict loads after renaming InstanceNorm's `scale` to torch's
`weight` (paddle_to_torch_key). What the re-expression keeps from Paddle's layer defaults:
* Conv3D kernel 3, padding 1, no bias (the 1x1x1 convs likewise);
* InstanceNorm3D with an affine scale/bias, eps 1e-5, no running statistics (torch: affine=True, track_running_stats=False);
* LeakyReLU slope 0.01;
* Upsample(scale_factor=2, mode='trilinear') with Paddle's align_corners=False, align_mode=0: the half-pixel rule,
  source = (dst + 0.5) / 2 - 0.5 clamped at the border, which is torch's align_corners=False;
* each norm_lrelu_conv_cK Sequential applied twice with the same weights, as Paddle's forward does;
* context_1 is the LeakyReLU of the level-1 sum; level 5's sum goes straight into the l0 upscale block;
* the deep-supervision maps ds2 and ds3 are upsampled and added to the output.
Dropout3D (p=0.6) is identity at inference; `dropout` sets its rate for training.
Used by make_unet3d_golden.py (goldens for the C# tests), local/training/train_vnet.py (--arch unet3d) and the benchmark.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.01
EPS = 1e-5


def conv(cin, cout, k=3, stride=1):
    return nn.Conv3d(cin, cout, kernel_size=k, stride=stride, padding=k // 2, bias=False)


def inorm(c):
    return nn.InstanceNorm3d(c, eps=EPS, affine=True, track_running_stats=False)


def lrelu():
    return nn.LeakyReLU(SLOPE)


def up2(x):
    return F.interpolate(x, scale_factor=2, mode="trilinear", align_corners=False)


class Upsample2(nn.Module):
    def forward(self, x):
        return up2(x)


def conv_norm_lrelu(cin, cout):
    return nn.Sequential(conv(cin, cout), inorm(cout), lrelu())


def norm_lrelu_conv(cin, cout):
    return nn.Sequential(inorm(cin), lrelu(), conv(cin, cout))


def lrelu_conv(cin, cout):
    return nn.Sequential(lrelu(), conv(cin, cout))


def norm_lrelu_upscale_conv_norm_lrelu(cin, cout):
    return nn.Sequential(inorm(cin), lrelu(), Upsample2(), conv(cin, cout), inorm(cout), lrelu())


class UNet3D(nn.Module):
    def __init__(self, in_channels=1, n_classes=20, base_n_filter=8, dropout=0.6):
        super().__init__()
        b = base_n_filter
        self.lrelu = lrelu()
        self.dropout3d = nn.Dropout3d(p=dropout)
        self.conv3d_c1_1 = conv(in_channels, b)
        self.conv3d_c1_2 = conv(b, b)
        self.lrelu_conv_c1 = lrelu_conv(b, b)
        self.inorm3d_c1 = inorm(b)
        self.conv3d_c2 = conv(b, 2 * b, stride=2)
        self.norm_lrelu_conv_c2 = norm_lrelu_conv(2 * b, 2 * b)
        self.inorm3d_c2 = inorm(2 * b)
        self.conv3d_c3 = conv(2 * b, 4 * b, stride=2)
        self.norm_lrelu_conv_c3 = norm_lrelu_conv(4 * b, 4 * b)
        self.inorm3d_c3 = inorm(4 * b)
        self.conv3d_c4 = conv(4 * b, 8 * b, stride=2)
        self.norm_lrelu_conv_c4 = norm_lrelu_conv(8 * b, 8 * b)
        self.inorm3d_c4 = inorm(8 * b)
        self.conv3d_c5 = conv(8 * b, 16 * b, stride=2)
        self.norm_lrelu_conv_c5 = norm_lrelu_conv(16 * b, 16 * b)
        self.norm_lrelu_upscale_conv_norm_lrelu_l0 = norm_lrelu_upscale_conv_norm_lrelu(16 * b, 8 * b)
        self.conv3d_l0 = conv(8 * b, 8 * b, k=1)
        self.inorm3d_l0 = inorm(8 * b)
        self.conv_norm_lrelu_l1 = conv_norm_lrelu(16 * b, 16 * b)
        self.conv3d_l1 = conv(16 * b, 8 * b, k=1)
        self.norm_lrelu_upscale_conv_norm_lrelu_l1 = norm_lrelu_upscale_conv_norm_lrelu(8 * b, 4 * b)
        self.conv_norm_lrelu_l2 = conv_norm_lrelu(8 * b, 8 * b)
        self.conv3d_l2 = conv(8 * b, 4 * b, k=1)
        self.norm_lrelu_upscale_conv_norm_lrelu_l2 = norm_lrelu_upscale_conv_norm_lrelu(4 * b, 2 * b)
        self.conv_norm_lrelu_l3 = conv_norm_lrelu(4 * b, 4 * b)
        self.conv3d_l3 = conv(4 * b, 2 * b, k=1)
        self.norm_lrelu_upscale_conv_norm_lrelu_l3 = norm_lrelu_upscale_conv_norm_lrelu(2 * b, b)
        self.conv_norm_lrelu_l4 = conv_norm_lrelu(2 * b, 2 * b)
        self.conv3d_l4 = conv(2 * b, n_classes, k=1)
        self.ds2_1x1_conv3d = conv(8 * b, n_classes, k=1)
        self.ds3_1x1_conv3d = conv(4 * b, n_classes, k=1)

    def _level(self, x, down, block, norm):
        out = down(x)
        residual = out
        out = block(out)
        out = self.dropout3d(out)
        out = block(out)  # the same Sequential again: Paddle's forward applies it twice
        out = out + residual
        if norm is None:
            return out
        return self.lrelu(norm(out))

    def forward(self, x):
        out = self.conv3d_c1_1(x)
        residual_1 = out
        out = self.conv3d_c1_2(self.lrelu(out))
        out = self.dropout3d(out)
        out = self.lrelu_conv_c1(out)
        out = out + residual_1
        context_1 = self.lrelu(out)
        out = self.lrelu(self.inorm3d_c1(out))
        context_2 = self._level(out, self.conv3d_c2, self.norm_lrelu_conv_c2, self.inorm3d_c2)
        context_3 = self._level(context_2, self.conv3d_c3, self.norm_lrelu_conv_c3, self.inorm3d_c3)
        context_4 = self._level(context_3, self.conv3d_c4, self.norm_lrelu_conv_c4, self.inorm3d_c4)
        out = self._level(context_4, self.conv3d_c5, self.norm_lrelu_conv_c5, None)
        out = self.norm_lrelu_upscale_conv_norm_lrelu_l0(out)
        out = self.lrelu(self.inorm3d_l0(self.conv3d_l0(out)))

        out = self.conv_norm_lrelu_l1(torch.cat([out, context_4], 1))
        out = self.norm_lrelu_upscale_conv_norm_lrelu_l1(self.conv3d_l1(out))
        out = self.conv_norm_lrelu_l2(torch.cat([out, context_3], 1))
        ds2 = out
        out = self.norm_lrelu_upscale_conv_norm_lrelu_l2(self.conv3d_l2(out))
        out = self.conv_norm_lrelu_l3(torch.cat([out, context_2], 1))
        ds3 = out
        out = self.norm_lrelu_upscale_conv_norm_lrelu_l3(self.conv3d_l3(out))
        out = self.conv_norm_lrelu_l4(torch.cat([out, context_1], 1))
        out_pred = self.conv3d_l4(out)

        ds = up2(self.ds2_1x1_conv3d(ds2)) + self.ds3_1x1_conv3d(ds3)
        return out_pred + up2(ds)


def paddle_to_torch_key(key):
    return key[: -len(".scale")] + ".weight" if key.endswith(".scale") else key


def torch_to_paddle_key(key, model):
    """InstanceNorm's `weight` is Paddle's `scale`; every other key keeps its name."""
    module = model.get_submodule(key.rsplit(".", 1)[0])
    if isinstance(module, nn.InstanceNorm3d) and key.endswith(".weight"):
        return key[: -len(".weight")] + ".scale"
    return key


def paddle_state_dict_keys(model):
    return {torch_to_paddle_key(k, model): tuple(v.shape) for k, v in model.state_dict().items()}


def load_paddle_state(model, state):
    sd = {paddle_to_torch_key(k): torch.from_numpy(v) for k, v in state.items() if k != "StructuredToParameterName@@"}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
