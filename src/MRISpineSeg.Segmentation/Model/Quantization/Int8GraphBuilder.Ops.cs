using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.VNet;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>The quantized layers: convolutions over z-folds, the transposed convolution, PReLU, sums and concatenations.</summary>
internal sealed partial class Int8GraphBuilder
{
    /// <summary>
    /// A 3-D convolution (y and z padding <paramref name="pad"/>; x padding <paramref name="pad"/>, or
    /// <paramref name="xPad"/> on a tail slab, which pads only where it meets the volume's edge) with its
    /// BatchNormalization, quantized to the range of <paramref name="role"/>: one QLinearConv per run of output slices
    /// with the same z taps. <paramref name="padOutput"/> pads the output channels (<see cref="PaddedChannels"/>); only
    /// the output block's consumers (its PReLU and the head) read padded tensors. On a tail slab each run's z-fold waits for the previous run's output (<see cref="ZeroAfter"/>),
    /// so that ONNX Runtime does not make every run's fold before the first convolution.
    /// </summary>
    private QTensor Conv(string name, QTensor x, int zIn, int zOut, int[] kernel, int[] stride, int pad, string? norm, string role, (int Begin, int End)? xPad = null, bool padOutput = false)
    {
        var (kz, sz) = (kernel[2], stride[2]);
        var spec = _weights[name + ".weight"];
        int co = spec.Shape[0], ci = spec.Shape[1], kx = spec.Shape[2], ky = spec.Shape[3];
        var cop = padOutput ? PaddedChannels(co) : co;
        var inner = ci * kx * ky * kz;
        var w = Int8Weights.Fold(_weights, name, norm, transposed: false, co, i => i / inner);
        var y = Range(role).ToUint8();
        var regions = ZTapRegions.Of(zIn, zOut, kz, sz, pad);
        var parts = new string[regions.Length];
        for (var r = 0; r < regions.Length; r++)
        {
            var region = regions[r];
            var tag = regions.Length == 1 ? string.Empty : $"#z{region.Start}";
            var wait = _slab.Length > 0 && r > 0 ? ZeroAfter($"{name}{tag}.wait", parts[r - 1]) : null;
            var fold = Fold($"{name}{tag}", x.Name, zIn, region, wait);
            // Weight [Co, taps·Ci, kx, ky]: channel t·Ci + c is tap Taps[t] of input channel c, as the fold stacks them.
            var taps = region.Taps;
            var q = new sbyte[cop * taps.Length * ci * kx * ky]; // output channels co..cop-1 (padding) stay zero
            var n = 0;
            for (var o = 0; o < co; o++)
            {
                foreach (var dz in taps)
                {
                    for (var c = 0; c < ci; c++)
                    {
                        for (var i = 0; i < kx * ky; i++) q[n++] = w.Values[(((o * ci) + c) * kx * ky * kz) + (i * kz) + dz];
                    }
                }
            }

            var weight = Constant<sbyte>($"{name}.weight#int8{tag}", [cop, taps.Length * ci, kx, ky], q);
            parts[r] = QLinearConv($"{name}{tag}", fold, x.Q, weight, w, y, [kx, ky], [stride[0], stride[1]], pad, xPad ?? (pad, pad), cop);
        }

        return new QTensor(parts.Length == 1 ? parts[0] : Writer.Node("Concat", name + ".zjoin" + _slab, parts, [Int("axis", 0)]), y, cop);
    }

    /// <summary>
    /// The transposed convolution of an up block with its BatchNormalization, quantized to the range of its PReLU's input.
    /// Along x and y, kernel = stride = 2 makes it a 1×1 convolution to 2·2·C channels and a depth-to-space. Along z,
    /// kernel = stride stacks the taps on channels too; stride 1 (overlapping taps) sums them: output slice zo takes tap
    /// dz from input slice zo − dz, which is a z-fold with taps in reverse order.
    /// </summary>
    private QTensor UpConv(UpBlock u, QTensor x, int zIn, Shape3 output)
    {
        var zOut = output.Z;
        var key = u.Name + ".up_conv";
        var (kx, ky, kz, sz) = (u.Kernel[0], u.Kernel[1], u.Kernel[2], u.Stride[2]);
        if (kx != 2 || ky != 2 || u.Stride[0] != 2 || u.Stride[1] != 2 || (kz != sz && sz != 1))
            throw new SegmentationException(SegmentationErrorReason.ModelMismatch, $"{key}: the int8 form needs x/y kernel = stride = 2 and z kernel = stride or z stride 1; this one has kernel [{string.Join(",", u.Kernel)}] stride [{string.Join(",", u.Stride)}]");
        var (ci, co) = (u.InChannels, u.UpChannels);
        var y = Range(u.Name + ".relu1").ToUint8();
        var stacked = kz == sz ? kz : 1;
        // Paddle's ConvTranspose weight is [Ci, Co, kx, ky, kz]; one quantization channel per output channel of the 1×1 conv.
        var w = Int8Weights.Fold(_weights, key, u.Name + ".bn1", transposed: true, stacked * 4 * co, i =>
        {
            var (dz, dy, dx, o) = (i % kz, i / kz % ky, i / (kz * ky) % kx, i / (kx * ky * kz) % co);
            return ((((stacked == 1 ? 0 : dz) * kx) + dx) * ky * co) + (dy * co) + o;
        });

        if (kz == sz)
        {
            // Output channel (dz, dx, dy, o) from input channel c.
            var q = new sbyte[stacked * 4 * co * ci];
            for (var dz = 0; dz < kz; dz++)
            {
                for (var d = 0; d < 4; d++)
                {
                    for (var o = 0; o < co; o++)
                    {
                        for (var c = 0; c < ci; c++) q[(((((dz * 4) + d) * co) + o) * ci) + c] = w.Values[(((c * co) + o) * 4 * kz) + (d * kz) + dz];
                    }
                }
            }

            var weight = Constant<sbyte>(key + ".weight#int8", [stacked * 4 * co, ci, 1, 1], q);
            var conv = QLinearConv(key, x.Name, x.Q, weight, w, y, [1, 1], [1, 1], 0, (0, 0));
            var split = Writer.Reshape(key + ".split" + _slab, conv, [zIn, 0, 0, kz, 2, 2, co]);
            var moved = Writer.Node("Transpose", key + ".depth_to_space" + _slab, [split], [Ints("perm", 0, 3, 1, 4, 2, 5, 6)]);
            return new QTensor(Writer.Reshape(key + ".to_grid" + _slab, moved, [zOut, output.X, output.Y, co]), y, co);
        }

        var regions = ZTapRegions.Of(zIn, zOut, kz, 1, kz - 1);
        var parts = new string[regions.Length];
        for (var r = 0; r < regions.Length; r++)
        {
            var region = regions[r];
            var tag = regions.Length == 1 ? string.Empty : $"#z{region.Start}";
            // Fold tap t reads input slice zo + t − (kz − 1), which is Paddle's tap dz = kz − 1 − t.
            var fold = Fold(key + tag, x.Name, zIn, region, _slab.Length > 0 && r > 0 ? ZeroAfter($"{key}{tag}.wait", parts[r - 1]) : null);
            var q = new sbyte[4 * co * region.Taps.Length * ci];
            var n = 0;
            for (var d = 0; d < 4; d++)
            {
                for (var o = 0; o < co; o++)
                {
                    foreach (var t in region.Taps)
                    {
                        for (var c = 0; c < ci; c++) q[n++] = w.Values[(((c * co) + o) * 4 * kz) + (d * kz) + (kz - 1 - t)];
                    }
                }
            }

            var weight = Constant<sbyte>($"{key}.weight#int8{tag}", [4 * co, region.Taps.Length * ci, 1, 1], q);
            parts[r] = QLinearConv(key + tag, fold, x.Q, weight, w, y, [1, 1], [1, 1], 0, (0, 0));
        }

        var joined = parts.Length == 1 ? parts[0] : Writer.Node("Concat", key + ".zjoin" + _slab, parts, [Int("axis", 0)]);
        var s = Writer.Reshape(key + ".split" + _slab, joined, [zOut, 0, 0, 2, 2, co]);
        var m = Writer.Node("Transpose", key + ".depth_to_space" + _slab, [s], [Ints("perm", 0, 1, 3, 2, 4, 5)]);
        return new QTensor(Writer.Reshape(key + ".to_grid" + _slab, m, [zOut, output.X, output.Y, co]), y, co);
    }

    /// <summary>
    /// The z-fold of one run: for each of its taps the input slices it reads, concatenated on channels
    /// (uint8 [run length, X, Y, taps·C]).
    /// </summary>
    private string Fold(string name, string x, int zIn, ZTapRegion region, string? after)
    {
        var slices = new string[region.Taps.Length];
        for (var i = 0; i < slices.Length; i++)
        {
            var tap = region.Taps[i];
            var (begin, end) = (region.InputStart(tap), region.InputEnd(tap));
            slices[i] = begin == 0 && end == zIn && region.Stride == 1 && after is null ? x : Writer.Slice($"{name}.tap{tap}{_slab}", x, 0, begin, end, after, region.Stride);
        }

        return slices.Length == 1 ? slices[0] : Writer.Node("Concat", name + ".zfold" + _slab, slices, [Int("axis", 3)]);
    }

    /// <summary>
    /// QLinearConv (channels last) with per-channel weight scales; the int32 bias is the folded bias over
    /// x_scale·w_scale, repeated over the output channels' taps. Padding is <paramref name="pad"/> along y and
    /// <paramref name="xPad"/> along x (ONNX's [x begin, y begin, x end, y end]); padded voxels hold x's zero point,
    /// which is the real value 0.
    /// </summary>
    private string QLinearConv(string name, string x, QuantParams xq, string weight, Int8Weights w, QuantParams y, int[] kernel, int[] stride, int pad, (int Begin, int End) xPad, int paddedChannels = 0)
    {
        var channels = Math.Max(paddedChannels, w.Scales.Length);
        var outChannels = w.Bias.Length;
        var bias = new int[channels];
        var wScales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // A padding channel (past the quantized ones) has zero weights, scale 1 and bias 0: its output is y's zero point, the real 0.
            if (c >= w.Scales.Length)
            {
                wScales[c] = 1f;
                continue;
            }

            wScales[c] = w.Scales[c];
            var real = w.Bias[c % outChannels] / ((double)xq.Scale * w.Scales[c]);
            bias[c] = (int)Math.Clamp(Math.Round(real, MidpointRounding.ToEven), int.MinValue / 2, int.MaxValue / 2);
        }

        var scales = Constant<float>(name + ".w_scale", [channels], wScales);
        var zeros = Constant<sbyte>(name + ".w_zero_point", [channels], new sbyte[channels]);
        var b = Constant<int>(name + ".bias#int32", [channels], bias);
        return Writer.DomainNode(
            Ms,
            "QLinearConv",
            name + _slab,
            [x, Scale(xq), ZeroPoint(xq), weight, scales, zeros, Scale(y), ZeroPoint(y), b],
            [
                Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", xPad.Begin, pad, xPad.End, pad), Ints("dilations", 1, 1),
                Int("group", 1), Int("channels_last", 1),
            ]);
    }

    /// <summary>PReLU with the Paddle slopes <c>name._weight</c>; see the class summary.</summary>
    private QTensor Prelu(string name, QTensor x)
    {
        var a = _weights[name + "._weight"].Data;
        if (x.Channels > a.Length) a = [.. a, .. new float[x.Channels - a.Length]]; // padding channels hold 0 and keep it
        if (a.All(v => v is >= 0f and <= 1f))
        {
            var top = a.Max();
            var aq = new QuantParams(top > 0 ? top / 255f : 1f, 0);
            var slopes = new byte[a.Length];
            for (var c = 0; c < a.Length; c++) slopes[c] = (byte)Math.Clamp((int)MathF.Round(a[c] / aq.Scale, MidpointRounding.ToEven), 0, 255);
            var ax = Writer.DomainNode(
                Ms,
                "QLinearMul",
                name + ".ax" + _slab,
                [x.Name, Scale(x.Q), ZeroPoint(x.Q), Constant<byte>(name + ".slope#u8", [a.Length], slopes), Scale(aq), ZeroPoint(aq), Scale(x.Q), ZeroPoint(x.Q)]);
            return x with { Name = Writer.Node("Max", name + _slab, [x.Name, ax]) };
        }

        // A slope outside [0, 1]: a·x may exceed x's range or cross it, so the layer runs in fp32. Output bound:
        // x ≥ 0 keeps [0, hi]; x in [lo, 0) gives a·x between 0 and a·lo for every slope a.
        if (!DequantizedActivations.Contains(name)) DequantizedActivations.Add(name);
        var lo = x.Q.Scale * (0 - x.Q.ZeroPoint);
        var hi = x.Q.Scale * (255 - x.Q.ZeroPoint);
        var outRange = new ActivationRange(Math.Min(0f, a.Max() * lo), Math.Max(hi, a.Min() * lo));
        var yq = outRange.ToUint8();
        var f = Writer.Node("DequantizeLinear", name + ".dequantize" + _slab, [x.Name, Scale(x.Q), ZeroPoint(x.Q)]);
        var p = Writer.Node("PRelu", name + ".fp32" + _slab, [f, Constant<float>(name + "._weight#c", [a.Length], a)]);
        return new QTensor(Writer.Node("QuantizeLinear", name + _slab, [p, Scale(yq), ZeroPoint(yq)]), yq, x.Channels);
    }

    private QTensor Add(string name, QTensor a, QTensor b, string role)
    {
        var y = Range(role).ToUint8();
        var sum = Writer.DomainNode(Ms, "QLinearAdd", name + _slab, [a.Name, Scale(a.Q), ZeroPoint(a.Q), b.Name, Scale(b.Q), ZeroPoint(b.Q), Scale(y), ZeroPoint(y)]);
        return new QTensor(sum, y, Math.Max(a.Channels, b.Channels));
    }

    /// <summary>Concatenation on channels; the output's range is the union of the inputs' (QLinearConcat requantizes each to it).</summary>
    private QTensor Concat(string name, QTensor a, QTensor b)
    {
        if (a.Q == b.Q) return new QTensor(Writer.Node("Concat", name + _slab, [a.Name, b.Name], [Int("axis", 3)]), a.Q, a.Channels + b.Channels);
        var y = RangeOf(a.Q).Union(RangeOf(b.Q)).ToUint8();
        var cat = Writer.DomainNode(Ms, "QLinearConcat", name + _slab, [Scale(y), ZeroPoint(y), a.Name, Scale(a.Q), ZeroPoint(a.Q), b.Name, Scale(b.Q), ZeroPoint(b.Q)], [Int("axis", 3)]);
        return new QTensor(cat, y, a.Channels + b.Channels);
    }

    /// <summary>
    /// Output channels padded to a multiple of 16 when the count is not one already (the output block's classes): ONNX
    /// Runtime's channels-last QLinearConv ran the 20-channel convolution at a quarter of the rate of the 32-channel ones
    /// beside it (profile in BENCHMARKS.md). Padding channels have zero weights and bias, so they hold the real value 0;
    /// PReLU gives them slope 0 and the head reads them with zero weights.
    /// </summary>
    private static int PaddedChannels(int channels) => channels % 16 == 0 ? channels : (channels + 15) / 16 * 16;

    /// <summary>An initializer added once however many tail slabs use it (the weights are the same in every slab).</summary>
    private string Constant<T>(string name, long[] dims, ReadOnlySpan<T> data)
        where T : unmanaged
        => Writer.Has(name) ? name : Writer.AddRawInitializer(name, dims, data);

    private static ActivationRange RangeOf(QuantParams q) => new(q.Scale * (0 - q.ZeroPoint), q.Scale * (255 - q.ZeroPoint));

    private string Scale(QuantParams q) => Params(q).Scale;

    private string ZeroPoint(QuantParams q) => Params(q).ZeroPoint;

    /// <summary>One scalar initializer pair per distinct quantization.</summary>
    private (string Scale, string ZeroPoint) Params(QuantParams q)
    {
        if (_params.TryGetValue(q, out var p)) return p;
        var id = _params.Count;
        p = (Writer.AddRawInitializer<float>($"q{id}.scale", [], [q.Scale]), Writer.AddRawInitializer<byte>($"q{id}.zero_point", [], [q.ZeroPoint]));
        _params[q] = p;
        return p;
    }
}
