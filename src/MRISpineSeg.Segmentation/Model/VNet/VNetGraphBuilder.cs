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
/// </summary>
internal static class VNetGraphBuilder
{
    public const int Opset = 17;
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string LabelsName = "labels";

    /// <summary>Builds the model. The weights must already have passed <see cref="WeightValidator.Validate"/>.</summary>
    public static ModelProto Build(VNetArchitecture arch, WeightSet weights, Shape3 grid, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (!arch.TryLevelGrids(grid, out _, out var gridError))
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {grid} does not fit the VNet: {gridError}");
        WeightValidator.Validate(weights, arch);
        var b = new Builder(arch, weights, new OnnxGraphWriter("vnet"));
        b.Write(grid);
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

    private sealed class Builder(VNetArchitecture arch, WeightSet weights, OnnxGraphWriter writer)
    {
        public OnnxGraphWriter Writer { get; } = writer;

        public void Write(Shape3 grid)
        {
            long[] inDims = [1, 1, grid.X, grid.Y, grid.Z];
            Writer.AddInput(InputName, DataType.Float, inDims);

            // in_tr: conv 5³ p2 (1→w) → BN → + input tiled w times → act. With one input channel, Paddle's tile is
            // exactly a broadcast over the channel axis, so Add broadcasts [1,1,X,Y,Z] and no tiled copy
            // (w·X·Y·Z floats, 201 MB at 512×512×12) is ever materialised.
            var conv = Conv("in_tr.conv1", InputName, [5, 5, 5], [1, 1, 1], 2);
            var bn = Norm("in_tr.bn1", conv);
            var x = Act("in_tr.relu1", Writer.Node("Add", "in_tr.add", [bn, InputName]));

            var skips = new List<string> { x };
            foreach (var d in arch.DownBlocks)
            {
                var down = Act(d.Name + ".relu1", Norm(d.Name + ".bn1", Conv(d.Name + ".down_conv", x, d.Kernel, d.Stride, 0)));
                var ops = LuConvs(d.Name, down, d.ConvCount);
                x = Act(d.Name + ".relu2", Writer.Node("Add", d.Name + ".add", [ops, down]));
                skips.Add(x);
            }

            for (var i = 0; i < arch.UpBlocks.Count; i++)
            {
                var u = arch.UpBlocks[i];
                var skip = skips[skips.Count - 2 - i];
                var up = Writer.Node(
                    "ConvTranspose",
                    u.Name + ".up_conv",
                    [x, Init(weights[u.Name + ".up_conv.weight"]), Init(weights[u.Name + ".up_conv.bias"])],
                    [Ints("kernel_shape", u.Kernel), Ints("strides", u.Stride), Ints("pads", 0, 0, 0, 0, 0, 0)]);
                up = Act(u.Name + ".relu1", Norm(u.Name + ".bn1", up));
                var cat = Writer.Node("Concat", u.Name + ".concat", [up, skip], [Int("axis", 1)]);
                var ops = LuConvs(u.Name, cat, u.ConvCount);
                x = Act(u.Name + ".relu2", Writer.Node("Add", u.Name + ".add", [ops, cat]));
            }

            // out_tr: conv 5³ p2 (2w→C) → BN → act → conv 1³ (C→C) = logits.
            x = Act("out_tr.relu1", Norm("out_tr.bn1", Conv("out_tr.conv1", x, [5, 5, 5], [1, 1, 1], 2)));
            var logits = Conv("out_tr.conv2", x, [1, 1, 1], [1, 1, 1], 0, LogitsName);
            var argmax = Writer.Node("ArgMax", "argmax", [logits], [Int("axis", 1), Int("keepdims", 0), Int("select_last_index", 0)]);
            Writer.Node("Cast", "labels_cast", [argmax], [Int("to", (long)DataType.Uint8)], LabelsName);
            Writer.AddOutput(LogitsName, DataType.Float, [1, arch.NumClasses, grid.X, grid.Y, grid.Z]);
            Writer.AddOutput(LabelsName, DataType.Uint8, [1, grid.X, grid.Y, grid.Z]);
        }

        private string LuConvs(string block, string x, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var p = $"{block}.ops.{i}";
                x = Act(p + ".relu1", Norm(p + ".bn1", Conv(p + ".conv1", x, [5, 5, 5], [1, 1, 1], 2)));
            }

            return x;
        }

        private string Conv(string name, string x, int[] kernel, int[] stride, int pad, string? output = null)
        {
            var w = Init(weights[name + ".weight"]);
            var bias = Init(weights[name + ".bias"]);
            return Writer.Node(
                "Conv",
                name,
                [x, w, bias],
                [Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", pad, pad, pad, pad, pad, pad), Ints("dilations", 1, 1, 1), Int("group", 1)],
                output);
        }

        private string Norm(string name, string x)
            => Writer.Node(
                "BatchNormalization",
                name,
                [x, Init(weights[name + ".weight"]), Init(weights[name + ".bias"]), Init(weights[name + "._mean"]), Init(weights[name + "._variance"])],
                [Float("epsilon", VNetArchitecture.BatchNormEpsilon)]);

        private string Act(string name, string x)
        {
            if (arch.Activation == VNetActivation.Elu) return Writer.Node("Elu", name, [x], [Float("alpha", 1f)]);
            var slope = weights[name + "._weight"];
            var slopeName = Writer.AddInitializer(slope.Name, [slope.Shape[0], 1, 1, 1], slope.Data);
            return Writer.Node("PRelu", name, [x, slopeName]);
        }

        private string Init(WeightTensor t)
        {
            var dims = new long[t.Shape.Length];
            for (var i = 0; i < dims.Length; i++) dims[i] = t.Shape[i];
            return Writer.AddInitializer(t.Name, dims, t.Data);
        }
    }
}
