using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Weights;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// The same VNet as <see cref="VNetGraphBuilder"/>, written for a GPU: activations stay [1, C, X, Y, Z] and every
/// (transposed) convolution is one native 3-D node, which the CUDA provider runs through cuDNN. No slabs, no per-z-tap
/// sums, no Slice or Pad with computed starts and no ordering nodes: every shape is static and every node runs on the
/// device, which is what CUDA graphs need (one launch per run instead of hundreds).
/// <list type="bullet">
/// <item>BatchNormalization is folded into the convolution before it, in float32, with the same operations ONNX Runtime
/// uses when it folds the CPU form's constants (scale = γ/√(σ²+ε), w·scale, (b − μ)·scale + β), so both forms start
/// from the same numbers.</item>
/// <item><see cref="NativePrecision.Float16"/> stores the weights as float16 and casts the input once: cuDNN then runs
/// the convolutions on tensor cores with float32 accumulation. The input stays float32 and the output is the uint8
/// <c>labels</c> only (no logits tensor is copied off the device).</item>
/// <item>The output block's class channels are padded to a multiple of 8 (tensor cores work in groups of 8 channels
/// in fp16): the padding channels of <c>out_tr.conv1</c> have zero weights, so they stay 0 through the activation, and
/// the padding outputs of <c>out_tr.conv2</c> get zero weights and the lowest float16 as bias, so ArgMax (first maximum
/// on ties, real classes first) never picks one.</item>
/// </list>
/// </summary>
internal static class VNetNativeGraphBuilder
{
    /// <summary>The lowest finite float16: the logit of a padding class.</summary>
    private const float PaddingLogit = -65504f;

    public static ModelProto Build(VNetArchitecture arch, WeightSet weights, Shape3 grid, NativePrecision precision, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (!arch.TryLevelGrids(grid, out _, out var gridError))
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {grid} does not fit the VNet: {gridError}");
        WeightValidator.Validate(weights, arch);
        var writer = new OnnxGraphWriter("vnet-native3d");
        new Builder(arch, weights, writer, precision == NativePrecision.Float16).Write(grid);
        return writer.ToModel($"PaddleSeg MedicalSeg VNet (mri_spine_seg), native 3-D form, {precision}, built by MRISpineSeg from {weights.Source}", VNetGraphBuilder.Opset, metadata);
    }

    /// <summary>Class channels rounded up to a multiple of 8.</summary>
    public static int PaddedClasses(int classes) => (classes + 7) / 8 * 8;

    private sealed class Builder(VNetArchitecture arch, WeightSet weights, OnnxGraphWriter writer, bool half)
    {
        public void Write(Shape3 grid)
        {
            writer.AddInput(VNetGraphBuilder.InputName, DataType.Float, [1, 1, grid.X, grid.Y, grid.Z]);
            var input = half
                ? writer.Node("Cast", "input_fp16", [VNetGraphBuilder.InputName], [Int("to", (long)DataType.Float16)])
                : VNetGraphBuilder.InputName;

            // in_tr: conv 5³ p2 → BN → + the input broadcast over the channels (Paddle tiles its one channel) → act.
            var x = Act("in_tr.relu1", writer.Node("Add", "in_tr.add", [Conv("in_tr.conv1", "in_tr.bn1", input, [5, 5, 5], [1, 1, 1], 2), input]));
            var skips = new List<string> { x };
            foreach (var d in arch.DownBlocks)
            {
                var down = Act(d.Name + ".relu1", Conv(d.Name + ".down_conv", d.Name + ".bn1", x, d.Kernel, d.Stride, 0));
                var ops = LuConvs(d.Name, down, d.ConvCount);
                x = Act(d.Name + ".relu2", writer.Node("Add", d.Name + ".add", [ops, down]));
                skips.Add(x);
            }

            for (var i = 0; i < arch.UpBlocks.Count; i++)
            {
                var u = arch.UpBlocks[i];
                var up = Act(u.Name + ".relu1", ConvTranspose(u, x));
                var cat = writer.Node("Concat", u.Name + ".concat", [up, skips[skips.Count - 2 - i]], [Int("axis", 1)]);
                var ops = LuConvs(u.Name, cat, u.ConvCount);
                x = Act(u.Name + ".relu2", writer.Node("Add", u.Name + ".add", [ops, cat]));
            }

            var padded = PaddedClasses(arch.NumClasses);
            var hidden = Act("out_tr.relu1", Conv("out_tr.conv1", "out_tr.bn1", x, [5, 5, 5], [1, 1, 1], 2, padded), padded);
            var logits = Conv("out_tr.conv2", null, hidden, [1, 1, 1], [1, 1, 1], 0, padded, padded);
            var argmax = writer.Node("ArgMax", "argmax", [logits], [Int("axis", 1), Int("keepdims", 0), Int("select_last_index", 0)]);
            writer.Node("Cast", "labels_cast", [argmax], [Int("to", (long)DataType.Uint8)], VNetGraphBuilder.LabelsName);
            writer.AddOutput(VNetGraphBuilder.LabelsName, DataType.Uint8, [1, grid.X, grid.Y, grid.Z]);
        }

        private string LuConvs(string block, string x, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var p = $"{block}.ops.{i}";
                x = Act(p + ".relu1", Conv(p + ".conv1", p + ".bn1", x, [5, 5, 5], [1, 1, 1], 2));
            }

            return x;
        }

        /// <summary>
        /// One 3-D convolution with <paramref name="norm"/> folded in. <paramref name="outChannels"/> &gt; the weight's
        /// output channels adds zero filters; <paramref name="inChannels"/> &gt; its input channels adds zero taps for
        /// padding inputs. A conv without a norm whose outputs are padded is the logits layer: padding outputs get
        /// <see cref="PaddingLogit"/> as bias.
        /// </summary>
        private string Conv(string name, string? norm, string x, int[] kernel, int[] stride, int pad, int outChannels = 0, int inChannels = 0)
        {
            var w = weights[name + ".weight"];
            var (cout, cin) = (w.Shape[0], w.Shape[1]);
            outChannels = Math.Max(outChannels, cout);
            inChannels = Math.Max(inChannels, cin);
            var taps = kernel[0] * kernel[1] * kernel[2];
            var (scale, bias) = Fold(name, norm, cout);
            var wf = new float[outChannels * inChannels * taps];
            var bf = new float[outChannels];
            for (var o = 0; o < outChannels; o++)
            {
                if (o >= cout)
                {
                    bf[o] = norm is null ? PaddingLogit : 0f;
                    continue;
                }

                bf[o] = bias[o];
                for (var i = 0; i < cin; i++)
                {
                    var src = ((o * cin) + i) * taps;
                    var dst = ((o * inChannels) + i) * taps;
                    for (var t = 0; t < taps; t++) wf[dst + t] = w.Data[src + t] * scale[o];
                }
            }

            var wName = Param(name + ".weight#native", [outChannels, inChannels, kernel[0], kernel[1], kernel[2]], wf);
            var bName = Param(name + ".bias#native", [outChannels], bf);
            return writer.Node("Conv", name, [x, wName, bName],
            [
                Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", pad, pad, pad, pad, pad, pad),
                Ints("dilations", 1, 1, 1), Int("group", 1),
            ]);
        }

        /// <summary>The up block's transposed convolution (mirrored kernel and stride, no padding) with its norm folded in; weights are [Cin, Cout, k...].</summary>
        private string ConvTranspose(UpBlock u, string x)
        {
            var name = u.Name + ".up_conv";
            var w = weights[name + ".weight"];
            var (cin, cout) = (w.Shape[0], w.Shape[1]);
            var taps = u.Kernel[0] * u.Kernel[1] * u.Kernel[2];
            var (scale, bias) = Fold(name, u.Name + ".bn1", cout);
            var wf = new float[w.Data.Length];
            for (var i = 0; i < cin; i++)
            {
                for (var o = 0; o < cout; o++)
                {
                    var at = ((i * cout) + o) * taps;
                    for (var t = 0; t < taps; t++) wf[at + t] = w.Data[at + t] * scale[o];
                }
            }

            var wName = Param(name + ".weight#native", [cin, cout, u.Kernel[0], u.Kernel[1], u.Kernel[2]], wf);
            var bName = Param(name + ".bias#native", [cout], bias);
            return writer.Node("ConvTranspose", name, [x, wName, bName], [Ints("kernel_shape", u.Kernel), Ints("strides", u.Stride), Ints("pads", 0, 0, 0, 0, 0, 0)]);
        }

        private (float[] Scale, float[] Bias) Fold(string conv, string? norm, int channels) => BatchNormFold.Of(weights, conv, norm, channels);

        /// <summary>PReLU with slopes [C,1,1,1] (padding channels get slope 0; their input is 0 anyway), or ELU.</summary>
        private string Act(string name, string x, int channels = 0)
        {
            if (arch.Activation == VNetActivation.Elu) return writer.Node("Elu", name, [x], [Float("alpha", 1f)]);
            var slope = weights[name + "._weight"].Data;
            var data = new float[Math.Max(channels, slope.Length)];
            Array.Copy(slope, data, slope.Length);
            return writer.Node("PRelu", name, [x, Param(name + "._weight#native", [data.Length, 1, 1, 1], data)]);
        }

        private string Param(string name, long[] dims, float[] data)
            => half ? writer.AddFloat16Initializer(name, dims, data) : writer.AddInitializer(name, dims, data);
    }
}

/// <summary>The arithmetic of a <see cref="VNetNativeGraphBuilder"/> graph.</summary>
internal enum NativePrecision
{
    /// <summary>float32 throughout: runs on the CPU provider too, where tests compare it with the CPU form.</summary>
    Float32,

    /// <summary>float16 weights and activations (float32 input, float32 accumulation in cuDNN): the CUDA form.</summary>
    Float16,
}
