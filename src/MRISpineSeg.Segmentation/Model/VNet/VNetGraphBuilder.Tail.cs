using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>The full-resolution tail: the last up block and the output block, optionally in slabs along x.</summary>
internal static partial class VNetGraphBuilder
{
    private sealed partial class Builder
    {
        /// <summary>
        /// The tail in <see cref="TailSlab"/>s along x. The transposed convolution must not overlap (kernel = stride along
        /// x) so that a slab of its output comes from a slab of its input; otherwise the tail runs whole.
        /// ONNX Runtime orders nodes topologically, and without a data dependency it would start every slab's slices
        /// and transposed convolutions before finishing the first slab, keeping all slabs alive at once. So each slab's
        /// slices take their start offset plus a zero derived from the previous slab's labels (min(argmax)·0, one pass over
        /// the slab's labels), which serialises the slabs without changing any value.
        /// </summary>
        private void WriteTail(MRISpineSeg.Imaging.Volumes.Shape3 grid, string x, string skip, int slabs)
        {
            var u = arch.UpBlocks[^1];
            var (X, Y, Z) = (grid.X, grid.Y, grid.Z);
            var s = u.Stride[0];
            var plan = TailSlab.Plan(X, u, slabs);
            var n = plan.Length;
            var logits = new string[n];
            var labels = new string[n];
            string? after = null;
            for (var i = 0; i < n; i++)
            {
                var (a, b, c0, c1) = plan[i];
                var suffix = n == 1 ? string.Empty : $"#slab{i}";
                var whole = plan[i].IsWhole(X);
                // x is axis 2 of [Z, C, X, Y], as it was of [1, C, X, Y, Z].
                var xs = whole ? x : Writer.Slice(u.Name + ".in" + suffix, x, 2, c0 / s, c1 / s, after);
                var sk = whole ? skip : Writer.Slice(u.Name + ".skip" + suffix, skip, 2, c0, c1, after);
                var cat = UpAndConcat(u, xs, sk, levels[1].Z, Z, suffix);

                var (lo, hi) = (c0, c1);
                var cur = cat;
                for (var k = 0; k < u.ConvCount; k++)
                {
                    var p = $"{u.Name}.ops.{k}";
                    var (padLo, padHi) = TailSlab.EdgePad(lo, hi, X);
                    cur = Act(p + ".relu1", Conv5(p + ".conv1", cur, Z, padLo, padHi, p + ".bn1", suffix), suffix);
                    (lo, hi) = TailSlab.Shrink(lo, hi, X);
                }

                // The residual crop waits for the convolutions (one element of their output) so that it is not made first
                // and kept alive through them (a slab-sized tensor, ~100 MB at 512²×12 and 4 slabs).
                var residual = (lo, hi) == (c0, c1) ? cat
                    : Writer.Slice(u.Name + ".crop" + suffix, cat, 2, lo - c0, hi - c0, Writer.Node("Cast", u.Name + ".crop_after" + suffix, [ZeroAfter(u.Name + ".crop_wait" + suffix, cur)], [Int("to", (long)DataType.Int64)]));
                cur = Act(u.Name + ".relu2", Writer.Node("Add", u.Name + ".add" + suffix, [cur, residual]), suffix);

                var (outLo, outHi) = TailSlab.EdgePad(lo, hi, X);
                cur = Conv5("out_tr.conv1", cur, Z, outLo, outHi, "out_tr.bn1", suffix);
                var (lo2, hi2) = TailSlab.Shrink(lo, hi, X);
                if ((lo2, hi2) != (a, b)) cur = Writer.Slice("out_tr.crop" + suffix, cur, 2, a - lo2, b - lo2);
                cur = Act("out_tr.relu1", cur, suffix);
                cur = Conv("out_tr.conv2", cur, Z, Z, [1, 1, 1], [1, 1, 1], 0, 0, 0, null, suffix);

                // [Z, C, x, Y] → [C, x, Y, Z] → [1, C, x, Y, Z]: the slab's logits in the output layout.
                var t = Writer.Node("Transpose", "logits_transpose" + suffix, [cur], [Ints("perm", 1, 2, 3, 0)]);
                logits[i] = Writer.Reshape("logits_reshape" + suffix, t, [1, arch.NumClasses, b - a, Y, Z], n == 1 ? LogitsName : null);
                var argmax = Writer.Node("ArgMax", "argmax" + suffix, [logits[i]], [Int("axis", 1), Int("keepdims", 0), Int("select_last_index", 0)]);
                labels[i] = Writer.Node("Cast", "labels_cast" + suffix, [argmax], [Int("to", (long)DataType.Uint8)], n == 1 ? LabelsName : null);
                if (i < n - 1)
                {
                    var min = Writer.Node("ReduceMin", "slab_done" + suffix, [argmax], [Int("keepdims", 0)]);
                    after = Writer.Node("Mul", "slab_zero" + suffix, [min, ZeroInt64()]);
                }
            }

            if (n == 1) return;
            Writer.Node("Concat", "logits_concat", logits, [Int("axis", 2)], LogitsName);
            Writer.Node("Concat", "labels_concat", labels, [Int("axis", 1)], LabelsName);
        }

        private string ZeroInt64()
        {
            const string name = "slab_zero_constant";
            if (_initializers.Add(name)) Writer.AddInt64Initializer(name, [0]);
            return name;
        }
    }
}
