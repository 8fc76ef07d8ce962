using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>The 3-D convolution as a sum of per-z-tap 2-D convolutions.</summary>
internal static partial class VNetGraphBuilder
{
    private sealed partial class Builder
    {
        /// <summary>
        /// A 3-D convolution on [Z, C, X, Y] as a sum over its z taps of 2-D convolutions: output slice zo takes tap dz
        /// from input slice zo·sz + dz − pz (zero outside). The centre tap comes first and carries the bias; the Adds
        /// that follow fuse into ORT's NCHWc convolutions as their sum input. A following BatchNormalization
        /// (<paramref name="norm"/>) is folded into the tap weights and the bias as ORT folds it into a single
        /// convolution (scale = γ/√(σ²+ε)); ORT cannot fold it here itself because it follows the tap sum, and as its
        /// own node it costs a pass and a tensor per conv.
        /// By default (<c>skipZPadding</c>) the output slices are split into runs that see the same taps
        /// (<see cref="ZTapRegions"/>): each tap is computed only on the slices where it meets real input, from a z-Slice
        /// of the input, and the runs are concatenated along z. The older form (kept for comparison) shifts the whole
        /// input with Pad per tap and multiplies the zero padding too.
        /// </summary>
        private string Conv(string name, string x, int zIn, int zOut, int[] kernel, int[] stride, int pad, int xBegin, int xEnd, string? norm, string suffix = "")
        {
            var (kz, sz) = (kernel[2], stride[2]);
            if (sz > 1 && pad != 0) throw new NotSupportedException($"{name}: a z-padded convolution with z stride {sz} is not supported");
            var weight = weights[name + ".weight"];
            long[] tapShape = [weight.Shape[0], weight.Shape[1], kernel[0], kernel[1]];
            AttributeProto[] attrs =
            [
                Ints("kernel_shape", kernel[0], kernel[1]), Ints("strides", stride[0], stride[1]), Ints("pads", xBegin, pad, xEnd, pad),
                Ints("dilations", 1, 1), Int("group", 1),
            ];
            if (!skipZPadding) return ConvOverPadding(name, x, zIn, zOut, kz, sz, pad, tapShape, attrs, norm, suffix);

            var regions = ZTapRegions.Of(zIn, zOut, kz, sz, pad);
            var parts = new string[regions.Length];
            string? previous = null;
            for (var r = 0; r < regions.Length; r++)
            {
                var region = regions[r];
                var tag = regions.Length == 1 ? string.Empty : $"#z{region.Start}";
                string? sum = null;
                foreach (var dz in region.Taps.OrderBy(dz => Math.Abs(dz - pad)))
                {
                    var (begin, end) = (region.InputStart(dz), region.InputEnd(dz));
                    // In the slabbed tail each later Slice waits for the sum so far (see ZeroAfter), so that ORT does not
                    // make every tap's input before the first convolution runs.
                    var wait = suffix.Length > 0 && (sum ?? previous) is { } done
                        ? Writer.Node("Cast", $"{name}{tag}.after{dz}{suffix}", [ZeroAfter($"{name}{tag}.wait{dz}{suffix}", done)], [Int("to", (long)DataType.Int64)])
                        : null;
                    var src = begin == 0 && end == zIn && sz == 1 && wait is null ? x
                        : Writer.Slice($"{name}{tag}.shift{dz}{suffix}", x, 0, begin, end, wait, step: sz);
                    var w = Tap(name, dz, kz, tapShape, norm);
                    var conv = Writer.Node("Conv", $"{name}{tag}#dz{dz}{suffix}", sum is null ? [src, w, Bias(name, norm)] : [src, w], attrs);
                    sum = sum is null ? conv : Writer.Node("Add", $"{name}{tag}.sum{dz}{suffix}", [sum, conv]);
                }

                parts[r] = sum!;
                previous = sum;
            }

            return parts.Length == 1 ? parts[0] : Writer.Node("Concat", $"{name}.zjoin{suffix}", parts, [Int("axis", 0)]);
        }

        /// <summary>
        /// The form before the z-padding skip: tap dz's input is the whole input shifted by Pad (stride 1; negative pads
        /// crop) or picked by a strided Slice (stride &gt; 1, no z padding); taps that only ever see padding are skipped,
        /// but the padded slices of the others are multiplied through.
        /// </summary>
        private string ConvOverPadding(string name, string x, int zIn, int zOut, int kz, int sz, int pad, long[] tapShape, AttributeProto[] attrs, string? norm, string suffix)
        {
            var taps = Enumerable.Range(0, kz).Where(dz => dz - pad < zIn && ((zOut - 1) * sz) + dz - pad >= 0).OrderBy(dz => Math.Abs(dz - pad)).ToArray();
            string? sum = null;
            foreach (var dz in taps)
            {
                var first = (long)dz - pad;
                string src;
                if (sz == 1)
                {
                    long begin = -first, end = zOut - zIn + first;
                    src = begin == 0 && end == 0 ? x
                        : begin <= 0 && end <= 0 ? Writer.Slice($"{name}.shift{dz}{suffix}", x, 0, first, first + zOut)
                        : Writer.Pad($"{name}.shift{dz}{suffix}", x, [begin, 0, 0, 0, end, 0, 0, 0], suffix.Length > 0 && sum is not null ? ZeroAfter($"{name}.after{dz}{suffix}", sum) : null);
                }
                else
                {
                    src = Writer.Slice($"{name}.shift{dz}{suffix}", x, 0, dz, dz + ((zOut - 1L) * sz) + 1, step: sz);
                }

                var w = Tap(name, dz, kz, tapShape, norm);
                var conv = Writer.Node("Conv", $"{name}#dz{dz}{suffix}", sum is null ? [src, w, Bias(name, norm)] : [src, w], attrs);
                sum = sum is null ? conv : Writer.Node("Add", $"{name}.sum{dz}{suffix}", [sum, conv]);
            }

            return sum!;
        }
    }
}
