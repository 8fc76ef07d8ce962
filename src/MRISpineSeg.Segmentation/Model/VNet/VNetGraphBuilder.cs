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
/// Initializers carry Paddle's state_dict keys; PReLU slopes are stored as [C,1,1,1] so they broadcast over NCDHW.
/// BatchNormalization runs in inference form with Paddle's <c>_mean</c>/<c>_variance</c> and eps 1e-5.
/// The full-resolution tail may run in slabs along x (<see cref="VNetBuildOptions.TailSlabs"/>).
/// </summary>
internal static partial class VNetGraphBuilder
{
    public const int Opset = 17;
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string LabelsName = "labels";

    /// <summary>Builds the model; the weights are validated against <paramref name="arch"/> first.</summary>
    public static ModelProto Build(VNetArchitecture arch, WeightSet weights, Shape3 grid, int tailSlabs, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (!arch.TryLevelGrids(grid, out _, out var gridError))
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {grid} does not fit the VNet: {gridError}");
        WeightValidator.Validate(weights, arch);
        var b = new Builder(arch, weights, new OnnxGraphWriter("vnet"));
        b.Write(grid, tailSlabs);
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "MRISpineSeg",
            ProducerVersion = typeof(VNetGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = b.Writer.Graph,
            DocString = "PaddleSeg MedicalSeg VNet (mri_spine_seg), built by MRISpineSeg from " + weights.Source,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (var (k, v) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    private sealed partial class Builder(VNetArchitecture arch, WeightSet weights, OnnxGraphWriter writer)
    {
        private static readonly int[] NoPads = [0, 0, 0, 0, 0, 0];
        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);

        public OnnxGraphWriter Writer { get; } = writer;

        public void Write(Shape3 grid, int tailSlabs)
        {
            long[] inDims = [1, 1, grid.X, grid.Y, grid.Z];
            Writer.AddInput(InputName, DataType.Float, inDims);

            // in_tr: conv 5³ p2 (1→w) → BN → + input tiled w times → act. With one input channel, Paddle's tile is
            // exactly a broadcast over the channel axis, so Add broadcasts [1,1,X,Y,Z] and no tiled copy
            // (w·X·Y·Z floats, 201 MB at 512×512×12) is ever materialised.
            var conv = Conv("in_tr.conv1", InputName, [5, 5, 5], [1, 1, 1], Pads(2, 2));
            var bn = Norm("in_tr.bn1", conv);
            var x = Act("in_tr.relu1", Writer.Node("Add", "in_tr.add", [bn, InputName]));

            var skips = new List<string> { x };
            foreach (var d in arch.DownBlocks)
            {
                var down = Act(d.Name + ".relu1", Norm(d.Name + ".bn1", Conv(d.Name + ".down_conv", x, d.Kernel, d.Stride, NoPads)));
                var ops = LuConvs(d.Name, down, d.ConvCount, string.Empty, Pads(2, 2));
                x = Act(d.Name + ".relu2", Writer.Node("Add", d.Name + ".add", [ops, down]));
                skips.Add(x);
            }

            for (var i = 0; i < arch.UpBlocks.Count - 1; i++)
            {
                var u = arch.UpBlocks[i];
                x = UpBlock(u, x, skips[skips.Count - 2 - i], string.Empty);
            }

            WriteTail(grid, x, skips[0], tailSlabs);
            Writer.AddOutput(LogitsName, DataType.Float, [1, arch.NumClasses, grid.X, grid.Y, grid.Z]);
            Writer.AddOutput(LabelsName, DataType.Uint8, [1, grid.X, grid.Y, grid.Z]);
        }

        private string UpBlock(UpBlock u, string x, string skip, string suffix)
        {
            var cat = UpAndConcat(u, x, skip, suffix);
            var ops = LuConvs(u.Name, cat, u.ConvCount, suffix, Pads(2, 2));
            return Act(u.Name + ".relu2", Writer.Node("Add", u.Name + ".add" + suffix, [ops, cat]), suffix);
        }

        /// <summary>ConvTranspose (mirrored kernel/stride, no padding) → BN → act, then concat with the skip.</summary>
        private string UpAndConcat(UpBlock u, string x, string skip, string suffix)
        {
            var up = Writer.Node(
                "ConvTranspose",
                u.Name + ".up_conv" + suffix,
                [x, Init(u.Name + ".up_conv.weight"), Init(u.Name + ".up_conv.bias")],
                [Ints("kernel_shape", u.Kernel), Ints("strides", u.Stride), Ints("pads", 0, 0, 0, 0, 0, 0)]);
            up = Act(u.Name + ".relu1", Norm(u.Name + ".bn1", up, suffix), suffix);
            return Writer.Node("Concat", u.Name + ".concat" + suffix, [up, skip], [Int("axis", 1)]);
        }

        private string LuConvs(string block, string x, int count, string suffix, int[] pads)
        {
            for (var i = 0; i < count; i++)
            {
                var p = $"{block}.ops.{i}";
                x = Act(p + ".relu1", Norm(p + ".bn1", Conv(p + ".conv1", x, [5, 5, 5], [1, 1, 1], pads, suffix), suffix), suffix);
            }

            return x;
        }

        /// <summary>ONNX pads for [x, y, z]: x gets its own begin/end (slabs pad only at the volume's edges), y and z get 2.</summary>
        private static int[] Pads(int xBegin, int xEnd) => [xBegin, 2, 2, xEnd, 2, 2];

        private string Conv(string name, string x, int[] kernel, int[] stride, int[] pads, string suffix = "", string? output = null)
            => Writer.Node(
                "Conv",
                name + suffix,
                [x, Init(name + ".weight"), Init(name + ".bias")],
                [Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", pads), Ints("dilations", 1, 1, 1), Int("group", 1)],
                output);

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
                Writer.AddInitializer(key, [slope.Shape[0], 1, 1, 1], slope.Data);
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
