using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.VNet;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>The full-resolution tail (the last up block, the output block and the fp32 head), in slabs along x.</summary>
internal sealed partial class Int8GraphBuilder
{
    /// <summary>
    /// The same <see cref="TailSlab"/>s as the fp32 graph's tail: each 5×5 convolution pads x only where the slab meets
    /// the volume's edge. Integer sums are exact and requantization is per
    /// voxel, so every slab count gives the labels of the whole tail, bit for bit. Unslabbed, the tail's z-folds (up to
    /// 160 channels at full resolution) and the fp32 head are alive together and the process peaks at 2.3 GB at
    /// 512×512×12. Each slab's input slices wait for the previous slab's labels (<see cref="ZeroAfter"/>), because ONNX
    /// Runtime would otherwise start every slab before finishing the first. Activations are [Z, X, Y, C], so x is axis 1.
    /// </summary>
    private void WriteTail(Shape3 grid, QTensor x, QTensor skip, int slabs)
    {
        var u = _arch.UpBlocks[^1];
        var (gx, gy, gz) = (grid.X, grid.Y, grid.Z);
        var s = u.Stride[0];
        var plan = TailSlab.Plan(gx, u, slabs);
        var n = plan.Length;
        var logits = new string[n];
        var labels = new string[n];
        string? after = null;
        for (var i = 0; i < n; i++)
        {
            _slab = n == 1 ? string.Empty : $"#slab{i}";
            var (a, b, c0, c1) = plan[i];
            var whole = plan[i].IsWhole(gx);
            var xs = whole ? x : x with { Name = Writer.Slice(u.Name + ".in" + _slab, x.Name, 1, c0 / s, c1 / s, after) };
            var sk = whole ? skip : skip with { Name = Writer.Slice(u.Name + ".skip" + _slab, skip.Name, 1, c0, c1, after) };

            var up = Prelu(u.Name + ".relu1", UpConv(u, xs, _levels[1].Z, new Shape3(c1 - c0, gy, gz)));
            var cat = Concat(u.Name + ".concat", up, sk);
            var (lo, hi) = (c0, c1);
            var cur = cat;
            for (var k = 0; k < u.ConvCount; k++)
            {
                var p = $"{u.Name}.ops.{k}";
                cur = Prelu(p + ".relu1", Conv(p + ".conv1", cur, gz, gz, [5, 5, 5], [1, 1, 1], 2, p + ".bn1", p + ".relu1", TailSlab.EdgePad(lo, hi, gx)));
                (lo, hi) = TailSlab.Shrink(lo, hi, gx);
            }

            // The residual crop waits for the convolutions, so that it is not made first and kept alive through them.
            var residual = (lo, hi) == (c0, c1) ? cat
                : cat with { Name = Writer.Slice(u.Name + ".crop" + _slab, cat.Name, 1, lo - c0, hi - c0, ZeroAfter(u.Name + ".crop_wait", cur.Name)) };
            cur = Prelu(u.Name + ".relu2", Add(u.Name + ".add", cur, residual, u.Name + ".relu2"));

            cur = Conv("out_tr.conv1", cur, gz, gz, [5, 5, 5], [1, 1, 1], 2, "out_tr.bn1", "out_tr.relu1", TailSlab.EdgePad(lo, hi, gx), padOutput: true);
            var (lo2, hi2) = TailSlab.Shrink(lo, hi, gx);
            if ((lo2, hi2) != (a, b)) cur = cur with { Name = Writer.Slice("out_tr.crop" + _slab, cur.Name, 1, a - lo2, b - lo2) };
            cur = Prelu("out_tr.relu1", cur);
            (logits[i], labels[i], var argmax) = WriteHead(cur, new Shape3(b - a, gy, gz), n == 1);
            if (i < n - 1) after = ZeroAfter("slab_done", argmax);
        }

        _slab = string.Empty;
        if (n == 1) return;
        var c = _arch.NumClasses;
        Writer.Reshape("logits_reshape", Writer.Node("Concat", "logits_concat", logits, [Int("axis", 1)]), [1, c, gx, gy, gz], VNetGraphBuilder.LogitsName);
        Writer.Reshape("labels_reshape", Writer.Node("Concat", "labels_concat", labels, [Int("axis", 0)]), [1, gx, gy, gz], VNetGraphBuilder.LabelsName);
    }

    /// <summary>
    /// The fp32 head of one slab (<paramref name="slab"/> rows of x): dequantize, the 1×1 convolution as a MatMul over
    /// channels, then logits [C, x, Y, Z] and labels [x, Y, Z] in the fp32 graph's layouts (the outputs themselves when
    /// <paramref name="whole"/>), and the int64 argmax the next slab waits for.
    /// </summary>
    private (string Logits, string Labels, string ArgMax) WriteHead(QTensor x, Shape3 slab, bool whole)
    {
        var c = _arch.NumClasses;
        var w = _weights["out_tr.conv2.weight"].Data; // [Cout, Cin, 1, 1, 1]
        var wt = new float[x.Channels * c]; // [Cin, Cout]; rows past c read padding channels (0) with weight 0
        for (var co = 0; co < c; co++)
        {
            for (var ci = 0; ci < c; ci++) wt[(ci * c) + co] = w[(co * c) + ci];
        }

        var f = Writer.Node("DequantizeLinear", "out_tr.dequantize" + _slab, [x.Name, Scale(x.Q), ZeroPoint(x.Q)]);
        var mm = Writer.Node("MatMul", "out_tr.conv2" + _slab, [f, Constant<float>("out_tr.conv2.weight#ci_co", [x.Channels, c], wt)]);
        var nhwc = Writer.Node("Add", "out_tr.conv2.bias" + _slab, [mm, Constant<float>("out_tr.conv2.bias#c", [c], _weights["out_tr.conv2.bias"].Data)]);
        var logits = Writer.Node("Transpose", "logits_transpose" + _slab, [nhwc], [Ints("perm", 3, 1, 2, 0)]);
        var argmax = Writer.Node("ArgMax", "argmax" + _slab, [nhwc], [Int("axis", 3), Int("keepdims", 0), Int("select_last_index", 0)]);
        var labels = Writer.Node("Transpose", "labels_transpose" + _slab, [Writer.Node("Cast", "labels_cast" + _slab, [argmax], [Int("to", (long)DataType.Uint8)])], [Ints("perm", 1, 2, 0)]);
        if (!whole) return (logits, labels, argmax);
        var all = Writer.Reshape("logits_reshape", logits, [1, c, slab.X, slab.Y, slab.Z], VNetGraphBuilder.LogitsName);
        return (all, Writer.Reshape("labels_reshape", labels, [1, slab.X, slab.Y, slab.Z], VNetGraphBuilder.LabelsName), argmax);
    }

    /// <summary>
    /// An int64 [1] zero that exists only once <paramref name="tensor"/> does (its first element times 0): added to a
    /// Slice's start it orders that Slice after <paramref name="tensor"/>'s node without changing any value.
    /// </summary>
    private string ZeroAfter(string name, string tensor)
    {
        var first = Writer.Slice(name + ".first" + _slab, Writer.Reshape(name + ".flat" + _slab, tensor, [-1]), 0, 0, 1);
        var wide = Writer.Node("Cast", name + ".int64" + _slab, [first], [Int("to", (long)DataType.Int64)]);
        return Writer.Node("Mul", name + _slab, [wide, ZeroInt64()]);
    }

    private string ZeroInt64()
    {
        const string name = "slab_zero_constant";
        return Writer.Has(name) ? name : Writer.AddInt64Initializer(name, [0]);
    }
}
