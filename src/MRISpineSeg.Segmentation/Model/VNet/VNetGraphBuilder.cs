using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Weights;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// Writes PaddleSeg's VNet as an ONNX graph (opset 17) with fixed shapes:
/// input <c>input</c> float32 [1, 1, X, Y, Z] (the grid is fixed when the model is built, so ORT plans memory once
/// and a wrong-grid tensor is refused by name and shape); outputs <c>logits</c> float32 [1, C, X, Y, Z] and
/// <c>labels</c> uint8 [1, X, Y, Z] (ArgMax over C, first maximum on ties as numpy, then Cast).
/// Inside, activations are laid out [Z, C, X, Y]: z is folded into the batch axis and every 3-D (transposed)
/// convolution is written as a sum of 2-D ones, one per z tap, on z-shifted (Pad, which crops with negative pads)
/// or z-strided (Slice) views of its input. ONNX Runtime runs 3-D Conv as im2col + SGEMM but 2-D Conv with its
/// NCHWc direct kernels, which is about 1.5–2× faster here (z is at most 12 slices, so the shifted copies are cheap).
/// One transpose brings the input in and one per tail slab takes the logits out.
/// Initializers are Paddle's state_dict tensors under their keys and shapes; the per-tap 2-D weights are Slice/Reshape
/// nodes on them, which ORT folds into constants when the session loads. PReLU slopes are stored as [C,1,1].
/// BatchNormalization runs in inference form with Paddle's <c>_mean</c>/<c>_variance</c> and eps 1e-5.
/// The full-resolution tail may run in slabs along x (<see cref="VNetBuildOptions.TailSlabs"/>).
/// </summary>
internal static partial class VNetGraphBuilder
{
    public const int Opset = SegmentationGraph.Opset;
    public const string InputName = SegmentationGraph.InputName;
    public const string LogitsName = SegmentationGraph.LogitsName;
    public const string LabelsName = SegmentationGraph.LabelsName;

    /// <summary>Builds the model; the weights are validated against <paramref name="arch"/> first.</summary>
    public static ModelProto Build(VNetArchitecture arch, WeightSet weights, Shape3 grid, int tailSlabs, IEnumerable<KeyValuePair<string, string>> metadata, bool skipZPadding = true)
    {
        if (!arch.TryLevelGrids(grid, out var levels, out var gridError))
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {grid} does not fit the VNet: {gridError}");
        WeightValidator.Validate(weights, arch);
        var b = new Builder(arch, weights, new OnnxGraphWriter("vnet"), levels, skipZPadding);
        b.Write(grid, tailSlabs);
        return b.Writer.ToModel("PaddleSeg MedicalSeg VNet (mri_spine_seg), built by MRISpineSeg from " + weights.Source, Opset, metadata);
    }

    /// <summary>Writes one graph; <c>levels</c> is the grid at each level (<see cref="VNetArchitecture.TryLevelGrids"/>), whose z extents are the batch axis.</summary>
    private sealed partial class Builder(VNetArchitecture arch, WeightSet weights, OnnxGraphWriter writer, Shape3[] levels, bool skipZPadding)
    {
        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);

        public OnnxGraphWriter Writer { get; } = writer;

        public void Write(Shape3 grid, int tailSlabs)
        {
            Writer.AddInput(InputName, DataType.Float, [1, 1, grid.X, grid.Y, grid.Z]);
            var input = Writer.Reshape("input_zcxy", Writer.Node("Transpose", "input_transpose", [InputName], [Ints("perm", 4, 1, 2, 3, 0)]), [grid.Z, 1, grid.X, grid.Y]);

            // in_tr: conv 5³ p2 (1→w) → BN → + input tiled w times → act. With one input channel, Paddle's tile is
            // exactly a broadcast over the channel axis, so Add broadcasts [Z,1,X,Y] and no tiled copy
            // (w·X·Y·Z floats, 201 MB at 512×512×12) is ever materialised.
            var bn = Conv5("in_tr.conv1", input, levels[0].Z, 2, 2, "in_tr.bn1");
            var x = Act("in_tr.relu1", Writer.Node("Add", "in_tr.add", [bn, input]));

            var skips = new List<string> { x };
            for (var i = 0; i < arch.DownBlocks.Count; i++)
            {
                var d = arch.DownBlocks[i];
                var zOut = levels[i + 1].Z;
                var down = Act(d.Name + ".relu1", Conv(d.Name + ".down_conv", x, levels[i].Z, zOut, d.Kernel, d.Stride, 0, 0, 0, d.Name + ".bn1"));
                var ops = LuConvs(d.Name, down, d.ConvCount, zOut);
                x = Act(d.Name + ".relu2", Writer.Node("Add", d.Name + ".add", [ops, down]));
                skips.Add(x);
            }

            for (var i = 0; i < arch.UpBlocks.Count - 1; i++)
            {
                var u = arch.UpBlocks[i];
                x = UpBlock(u, x, skips[skips.Count - 2 - i], levels[^(i + 1)].Z, levels[^(i + 2)].Z);
            }

            WriteTail(grid, x, skips[0], tailSlabs);
            Writer.AddOutput(LogitsName, DataType.Float, [1, arch.NumClasses, grid.X, grid.Y, grid.Z]);
            Writer.AddOutput(LabelsName, DataType.Uint8, [1, grid.X, grid.Y, grid.Z]);
        }

        private string UpBlock(UpBlock u, string x, string skip, int zIn, int zOut)
        {
            var cat = UpAndConcat(u, x, skip, zIn, zOut, string.Empty);
            var ops = LuConvs(u.Name, cat, u.ConvCount, zOut);
            return Act(u.Name + ".relu2", Writer.Node("Add", u.Name + ".add", [ops, cat]));
        }

        /// <summary>
        /// ConvTranspose (mirrored kernel/stride, no padding) → BN → act, then concat with the skip. Along z, input slice
        /// zi and tap dz land on output slice zi·sz + dz. With kernel = stride the taps never overlap: one 2-D
        /// ConvTranspose with the taps stacked on the output channels ([Z, kz·C, X, Y]) is already the output in
        /// memory order and only needs a Reshape. With stride 1 the taps overlap: one ConvTranspose per tap, each
        /// shifted into place with Pad, summed together with the bias.
        /// </summary>
        private string UpAndConcat(UpBlock u, string x, string skip, int zIn, int zOut, string suffix)
        {
            var key = u.Name + ".up_conv";
            var (kz, sz) = (u.Kernel[2], u.Stride[2]);
            AttributeProto[] attrs = [Ints("kernel_shape", u.Kernel[0], u.Kernel[1]), Ints("strides", u.Stride[0], u.Stride[1]), Ints("pads", 0, 0, 0, 0)];
            string up;
            if (kz == sz)
            {
                var w = Derived(key + ".weight#stacked", () => Writer.Reshape(
                    key + ".weight#stacked",
                    Writer.Node("Transpose", key + ".weight#taps_first", [Init(key + ".weight")], [Ints("perm", 0, 4, 1, 2, 3)]),
                    [u.InChannels, kz * u.UpChannels, u.Kernel[0], u.Kernel[1]]));
                var b = Derived(key + ".bias#stacked", () => Writer.Node("Concat", key + ".bias#stacked", Enumerable.Repeat(Init(key + ".bias"), kz).ToArray(), [Int("axis", 0)]));
                var t = Writer.Node("ConvTranspose", key + suffix, [x, w, b], attrs);
                up = Writer.Reshape(key + ".interleave" + suffix, t, [zOut, u.UpChannels, 0, 0]);
            }
            else if (sz == 1)
            {
                var terms = new List<string>();
                for (var dz = 0; dz < kz; dz++)
                {
                    var t = Writer.Node("ConvTranspose", $"{key}#dz{dz}{suffix}", [x, Tap(key, dz, kz, [u.InChannels, u.UpChannels, u.Kernel[0], u.Kernel[1]])], attrs);
                    terms.Add(Writer.Pad($"{key}.shift{dz}{suffix}", t, [dz, 0, 0, 0, zOut - zIn - dz, 0, 0, 0]));
                }

                terms.Add(Derived(key + ".bias#c11", () => Writer.Reshape(key + ".bias#c11", Init(key + ".bias"), [u.UpChannels, 1, 1])));
                up = Writer.Node("Sum", key + ".sum" + suffix, [.. terms]);
            }
            else
            {
                throw new NotSupportedException($"{key}: a transposed convolution with z kernel {kz} and z stride {sz} is not supported (kernel must equal stride, or stride must be 1)");
            }

            up = Act(u.Name + ".relu1", Norm(u.Name + ".bn1", up, suffix), suffix);
            return Writer.Node("Concat", u.Name + ".concat" + suffix, [up, skip], [Int("axis", 1)]);
        }

        private string LuConvs(string block, string x, int count, int z)
        {
            for (var i = 0; i < count; i++)
            {
                var p = $"{block}.ops.{i}";
                x = Act(p + ".relu1", Conv5(p + ".conv1", x, z, 2, 2, p + ".bn1"));
            }

            return x;
        }

        /// <summary>A 5³ convolution with padding 2 along y and z; x gets its own begin/end padding (slabs pad only at the volume's edges).</summary>
        private string Conv5(string name, string x, int z, int xBegin, int xEnd, string? norm, string suffix = "")
            => Conv(name, x, z, z, [5, 5, 5], [1, 1, 1], 2, xBegin, xEnd, norm, suffix);

        /// <summary>
        /// A float scalar 0 computed from one element of <paramref name="x"/> (as 0 or 1 minus itself, so NaN or ∞ give 0 too),
        /// so that whatever consumes it waits for <paramref name="x"/>. In the slabbed tail the shapes are dynamic
        /// (each slab's start waits on the previous slab), ORT cannot fuse the tap sums into its NCHWc convolutions,
        /// and without this it would compute every tap's shifted input and output before the first Add, keeping
        /// about 14 slab-sized tensors alive instead of about 5.
        /// </summary>
        private string ZeroAfter(string name, string x)
        {
            // A 1×1 max pool with strides beyond the extents picks pixel (0, 0) of every slice and channel. It reads x in
            // ORT's NCHWc layout, so x (a convolution's output) is not reordered back to NCHW just for this.
            var pick = Writer.Node("MaxPool", name + ".pick", [x], [Ints("kernel_shape", 1, 1), Ints("strides", 1 << 20, 1 << 20)]);
            var one = Writer.Slice(name + ".first", Writer.Reshape(name + ".flat", pick, [-1]), 0, 0, 1);
            var flag = Writer.Node("Cast", name + ".flag", [Writer.Node("Cast", name + ".nonzero", [one], [Int("to", (long)DataType.Bool)])], [Int("to", (long)DataType.Float)]);
            return Writer.Reshape(name + ".scalar", Writer.Node("Sub", name + ".zero", [flag, flag]), []);
        }

        /// <summary>
        /// Tap dz of a (transposed) convolution weight [.., .., kx, ky, kz] as a 2-D weight, named after the Paddle key;
        /// with <paramref name="norm"/>, scaled per output channel by that BatchNormalization.
        /// </summary>
        private string Tap(string name, int dz, int kz, long[] shape, string? norm = null)
        {
            var key = name + ".weight";
            var tap = $"{key}#dz{dz}";
            var w = Derived(tap, () => Writer.Reshape(tap, kz == 1 ? Init(key) : Writer.Slice(tap + ".slice", Init(key), 4, dz, dz + 1), shape));
            if (norm is null) return w;
            var scale = Derived(norm + ".scale#c111", () => Writer.Reshape(norm + ".scale#c111", NormScale(norm), [shape[0], 1, 1, 1]));
            return Derived(tap + "#bn", () => Writer.Node("Mul", tap + "#bn", [w, scale]));
        }

        /// <summary>The convolution bias, or with <paramref name="norm"/> the folded (bias − mean)·scale + β.</summary>
        private string Bias(string name, string? norm)
        {
            var key = name + ".bias";
            if (norm is null) return Init(key);
            return Derived(key + "#bn", () => Writer.Node(
                "Add",
                key + "#bn",
                [Writer.Node("Mul", key + "#bn_scaled", [Writer.Node("Sub", key + "#bn_centred", [Init(key), Init(norm + "._mean")]), NormScale(norm)]), Init(norm + ".bias")]));
        }

        /// <summary>γ/√(σ² + ε) of a BatchNormalization, from its Paddle tensors (ε as a Constant node, not a parameter).</summary>
        private string NormScale(string norm)
            => Derived(norm + ".scale", () =>
            {
                var eps = Writer.Node("Constant", norm + ".epsilon", [], [Float("value_float", VNetArchitecture.BatchNormEpsilon)]);
                var std = Writer.Node("Sqrt", norm + ".std", [Writer.Node("Add", norm + ".var_eps", [Init(norm + "._variance"), eps])]);
                return Writer.Node("Div", norm + ".scale", [Init(norm + ".weight"), std]);
            });

        /// <summary>A value computed from initializers only (ORT folds it at load), written once however many slabs use it.</summary>
        private string Derived(string name, Func<string> write) => _initializers.Add(name) ? write() : name;

        private string Norm(string name, string x, string suffix = "")
            => Writer.Node(
                "BatchNormalization",
                name + suffix,
                [x, Init(name + ".weight"), Init(name + ".bias"), Init(name + "._mean"), Init(name + "._variance")],
                [Float("epsilon", VNetArchitecture.BatchNormEpsilon)]);

        private string Act(string name, string x, string suffix = "")
        {
            if (arch.Activation == VNetActivation.Elu) return Writer.Node("Elu", name + suffix, [x], [Float("alpha", 1f)]);
            var key = name + "._weight";
            if (_initializers.Add(key))
            {
                var slope = weights[key];
                Writer.AddInitializer(key, [slope.Shape[0], 1, 1], slope.Data);
            }

            return Writer.Node("PRelu", name + suffix, [x, key]);
        }

        /// <summary>Adds a weight as an initializer once, however many slabs use it.</summary>
        private string Init(string key)
        {
            if (!_initializers.Add(key)) return key;
            var t = weights[key];
            var dims = new long[t.Shape.Length];
            for (var i = 0; i < dims.Length; i++) dims[i] = t.Shape[i];
            return Writer.AddInitializer(t.Name, dims, t.Data);
        }
    }
}
