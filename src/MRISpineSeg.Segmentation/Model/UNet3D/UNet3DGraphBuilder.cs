using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Weights;
using static MRISpineSeg.Segmentation.Model.Onnx.OnnxGraphWriter;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.UNet3D;

/// <summary>
/// Writes PaddleSeg's UNet3D as an ONNX graph (opset 17) with fixed shapes: input <c>input</c> float32 [1,1,X,Y,Z],
/// outputs <c>logits</c> float32 [1,C,X,Y,Z] and <c>labels</c> uint8 [1,X,Y,Z] (<see cref="SegmentationGraph"/>).
/// Activations stay in Paddle's NCDHW layout [1, C, X, Y, Z]:
/// <list type="bullet">
/// <item>Conv3D as ONNX 3-D Conv (kernel 3, pads 1, strides 1 or 2, or 1×1×1), weights under their Paddle keys, no bias;</item>
/// <item>InstanceNorm3D as InstanceNormalization (per sample and channel over X·Y·Z, eps 1e-5), LeakyReLU alpha 0.01;</item>
/// <item>Paddle's Upsample(scale 2, trilinear, align_corners=False, align_mode=0) as Resize mode linear with
/// coordinate_transformation_mode half_pixel: source = (dst + 0.5)/2 − 0.5, clamped to the edge, which is also
/// PyTorch's align_corners=False (the golden test holds the graph to PyTorch within 1e-3);</item>
/// <item>each norm_lrelu_conv_cK block appears twice, reading the same initializers, as Paddle's forward applies it twice;</item>
/// <item>the deep-supervision sums: up(up(ds2_1x1(ds2)) + ds3_1x1(ds3)) is added to the output.</item>
/// </list>
/// This 3-D form beats PyTorch 1.13 by about 12% in CPU time at 512×512×16 (BENCHMARKS.md, "UNet3D inference at the
/// spine grid"); the VNet's per-z-tap 2-D form was not tried, because InstanceNorm's statistics span z, which that
/// layout folds into the batch axis.
/// </summary>
internal static class UNet3DGraphBuilder
{
    /// <summary>Builds the model; the weights are validated and the grid checked against the grid rule first.</summary>
    public static ModelProto Build(UNet3DArchitecture arch, WeightSet weights, Shape3 grid, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        if (GridRule.Problem(grid, UNet3DArchitecture.GridMultiple) is { } problem)
            throw new SegmentationException(SegmentationErrorReason.InputMismatch, $"grid {problem} (UNet3D halves every axis four times)");
        arch.Validate(weights);
        var b = new Builder(weights, new OnnxGraphWriter("unet3d"));
        b.Write(grid, arch.NumClasses);
        return b.Writer.ToModel("PaddleSeg MedicalSeg UNet3D, built by MRISpineSeg from " + weights.Source, SegmentationGraph.Opset, metadata);
    }

    private sealed class Builder(WeightSet weights, OnnxGraphWriter writer)
    {
        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);

        public OnnxGraphWriter Writer { get; } = writer;

        public void Write(Shape3 grid, int classes)
        {
            Writer.AddInput(SegmentationGraph.InputName, DataType.Float, [1, 1, grid.X, grid.Y, grid.Z]);

            // Level 1: conv → (lrelu → conv → lrelu → conv) + residual; context_1 is the LeakyReLU of the sum.
            var residual = Conv("conv3d_c1_1", SegmentationGraph.InputName);
            var x = Conv("conv3d_c1_2", LRelu("c1.lrelu1", residual));
            x = Conv("lrelu_conv_c1.1", LRelu("lrelu_conv_c1.0", x));
            x = Writer.Node("Add", "c1.sum", [x, residual]);
            var context1 = LRelu("context_1", x);
            x = LRelu("c1.lrelu2", Norm("inorm3d_c1", x));

            // Levels 2-5: stride-2 conv, the same norm_lrelu_conv block twice, + residual, then norm and lrelu (not at 5).
            var contexts = new List<string> { context1 };
            for (var level = 2; level <= 5; level++)
            {
                var down = Conv($"conv3d_c{level}", x, stride: 2);
                var block = $"norm_lrelu_conv_c{level}";
                var once = NormLReluConv(block, down, "#1");
                var twice = NormLReluConv(block, once, "#2");
                x = Writer.Node("Add", $"c{level}.sum", [twice, down]);
                if (level == 5) break;
                x = LRelu($"c{level}.lrelu", Norm($"inorm3d_c{level}", x));
                contexts.Add(x);
            }

            x = Upscale("norm_lrelu_upscale_conv_norm_lrelu_l0", x);
            x = LRelu("l0.lrelu", Norm("inorm3d_l0", Conv("conv3d_l0", x)));

            string ds2 = string.Empty, ds3 = string.Empty;
            for (var level = 1; level <= 4; level++)
            {
                x = Writer.Node("Concat", $"l{level}.concat", [x, contexts[^level]], [Int("axis", 1)]);
                var block = $"conv_norm_lrelu_l{level}";
                x = LRelu(block + ".2", Norm(block + ".1", Conv(block + ".0", x)));
                if (level == 2) ds2 = x;
                if (level == 3) ds3 = x;
                x = Conv($"conv3d_l{level}", x);
                if (level < 4) x = Upscale($"norm_lrelu_upscale_conv_norm_lrelu_l{level}", x);
            }

            var ds = Writer.Node("Add", "ds2_ds3.sum", [Up("ds2.upscale", Conv("ds2_1x1_conv3d", ds2)), Conv("ds3_1x1_conv3d", ds3)]);
            var logits = Writer.Node("Add", "out.sum", [x, Up("ds.upscale", ds)], output: SegmentationGraph.LogitsName);
            SegmentationGraph.AddLabels(Writer, logits);
            Writer.AddOutput(SegmentationGraph.LogitsName, DataType.Float, [1, classes, grid.X, grid.Y, grid.Z]);
            Writer.AddOutput(SegmentationGraph.LabelsName, DataType.Uint8, [1, grid.X, grid.Y, grid.Z]);
        }

        /// <summary>InstanceNorm → LeakyReLU → conv, one application of a norm_lrelu_conv Sequential (<paramref name="pass"/> tells the two apart).</summary>
        private string NormLReluConv(string block, string x, string pass)
            => Conv(block + ".2", LRelu(block + ".1" + pass, Norm(block + ".0", x, pass)), pass: pass);

        /// <summary>InstanceNorm → LeakyReLU → ×2 trilinear → conv → InstanceNorm → LeakyReLU.</summary>
        private string Upscale(string block, string x)
        {
            x = Up(block + ".2", LRelu(block + ".1", Norm(block + ".0", x)));
            return LRelu(block + ".5", Norm(block + ".4", Conv(block + ".3", x)));
        }

        /// <summary>A Conv3D without bias: kernel from the weight (3 with padding 1, or 1).</summary>
        private string Conv(string key, string x, int stride = 1, string pass = "")
        {
            var w = weights[key + ".weight"];
            var k = w.Shape[2];
            var p = k / 2;
            return Writer.Node(
                "Conv",
                key + pass,
                [x, Init(key + ".weight")],
                [Ints("kernel_shape", k, k, k), Ints("strides", stride, stride, stride), Ints("pads", p, p, p, p, p, p), Ints("dilations", 1, 1, 1), Int("group", 1)]);
        }

        private string Norm(string key, string x, string pass = "")
            => Writer.Node("InstanceNormalization", key + pass, [x, Init(key + ".scale"), Init(key + ".bias")], [Float("epsilon", UNet3DArchitecture.InstanceNormEpsilon)]);

        private string LRelu(string name, string x) => Writer.Node("LeakyRelu", name, [x], [Float("alpha", UNet3DArchitecture.LeakyReluSlope)]);

        /// <summary>Paddle's Upsample(scale_factor=2, 'trilinear') with align_corners=False, align_mode=0: half-pixel linear.</summary>
        private string Up(string name, string x)
        {
            var scales = _initializers.Add("upsample.scales") ? Writer.AddInitializer("upsample.scales", [5], [1f, 1f, 2f, 2f, 2f]) : "upsample.scales";
            return Writer.Node(
                "Resize",
                name,
                [x, string.Empty, scales],
                [Str("mode", "linear"), Str("coordinate_transformation_mode", "half_pixel")]);
        }

        /// <summary>Adds a Paddle weight as an initializer under its key and shape, once however often it is read.</summary>
        private string Init(string key) => _initializers.Add(key) ? Writer.AddInitializer(key, Array.ConvertAll(weights[key].Shape, d => (long)d), weights[key].Data) : key;
    }
}
