using Google.Protobuf;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Phantoms;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Tests.EndToEnd;

namespace MRISpineSeg.Segmentation.Tests.Model.VNet;

/// <summary>
/// The CUDA form (native 3-D convolutions, built at load from the file's Paddle weights) checked without a GPU: in
/// float32 on the CPU provider its labels must equal the stored per-z-tap form's, on the trained demo model and on a
/// random PaddleSeg-width (16) model at a 512×64×12 slab of the spine grid (there, up to exact fp32 ties) (the full 512×512×12 is the same network,
/// 8× longer; BENCHMARKS.md has it). The float16 form itself runs only on a GPU (local/gpu/).
/// </summary>
public sealed class VNetNativeFormTests : IDisposable
{
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void NativeFormOfTheDemoModelShouldSegmentAPhantomExactlyAsTheStoredForm()
    {
        var phantom = PhantomGenerator.Generate(5003);
        var stored = Segment(GraphForm.Stored);
        var native = Segment(GraphForm.Native3D);

        Assert.Equal("stored", stored.Form);
        Assert.Equal("native-3d fp32", native.Form);
        Assert.Equal(stored.Labels, native.Labels);
        Assert.True(native.Labels.Distinct().Count() > 10, "the demo model should find most structures in the phantom");

        (string Form, byte[] Labels) Segment(GraphForm form)
        {
            using var network = OnnxSegmentationNetwork.Load(DemoModelTests.DemoModelPath(), new OnnxNetworkOptions { Logits = true, IntraOpThreads = 2, GraphForm = form });
            var result = new Segmenter(network).Segment(phantom.Image, "Case5003.nii.gz");
            return (network.Form, result.Mask.Voxels.As<byte>().Data.ToArray());
        }
    }

    [Fact]
    public void NativeFormOfAWidth16ModelShouldGiveTheStoredFormsLabelsOnASpineGridSlab()
    {
        var grid = new Shape3(512, 64, 12);
        var path = Path.Combine(_dir, "w16.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(16), 3), path, new VNetBuildOptions { Grid = grid });
        var input = VNetGraphTests.RandomInput(grid, 4);

        NetworkOutput stored;
        using (var network = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 2, GraphForm = GraphForm.Stored }))
            stored = network.Predict(input, includeLogits: true);
        var native = Labels(GraphForm.Native3D);

        // Both forms are float32 but sum the 5³·C products in different orders, so logits differ in the last bits; a
        // voxel whose two best classes are closer than that may flip. Every disagreement must be such a tie.
        Assert.Equal(grid.Count, native.Length);
        var voxels = (int)grid.Count;
        var flips = new List<(int Voxel, float Gap)>();
        for (var v = 0; v < voxels; v++)
        {
            if (stored.Labels[v] == native[v]) continue;
            flips.Add((v, Math.Abs(stored.Logits![(stored.Labels[v] * voxels) + v] - stored.Logits[(native[v] * voxels) + v])));
        }

        var logits = stored.Logits!;
        var range = logits.Max() - logits.Min();
        Assert.True(flips.Count <= voxels / 100_000, $"{flips.Count} of {voxels} labels differ");
        Assert.All(flips, f => Assert.True(f.Gap <= 1e-6 * range, $"voxel {f.Voxel}: the stored form's logits of the two labels differ by {f.Gap} (logit range {range}), which is no tie"));
        Assert.True(native.Distinct().Count() > 1);
        Console.WriteLine($"width-16 slab {grid}: {flips.Count} of {voxels} labels differ, largest logit gap {(flips.Count == 0 ? 0 : flips.Max(f => f.Gap))} of range {range}");

        byte[] Labels(GraphForm form)
        {
            using var network = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 2, GraphForm = form });
            return network.PredictLabels(input);
        }
    }

    [Fact]
    public void NativeFormShouldPadTheClassesToEightAndNeverPickAPaddingClass()
    {
        var grid = new Shape3(16, 16, 12);
        var arch = VNetArchitecture.Spine(2, numClasses: 3);
        var model = VNetNativeGraphBuilder.Build(arch, RandomWeights.Create(arch, 9), grid, NativePrecision.Float32, []);

        var logits = model.Graph.Initializer.Single(t => t.Name == "out_tr.conv2.weight#native");
        Assert.Equal([8L, 8, 1, 1, 1], logits.Dims);
        Assert.Equal(24, VNetNativeGraphBuilder.PaddedClasses(20));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Slice" or "Pad" or "Transpose" or "BatchNormalization");
        Assert.Equal(["labels"], model.Graph.Output.Select(o => o.Name));

        var path = Path.Combine(_dir, "c3.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(arch, 9), path, new VNetBuildOptions { Grid = grid });
        using var network = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, GraphForm = GraphForm.Native3D });
        Assert.All(network.PredictLabels(VNetGraphTests.RandomInput(grid, 1)), l => Assert.InRange(l, 0, 2));
    }

    [Fact]
    public void Float16FormShouldStoreHalfWeightsAndCastTheFloat32InputOnce()
    {
        var arch = VNetArchitecture.Spine(2);
        var model = VNetNativeGraphBuilder.Build(arch, RandomWeights.Create(arch, 9), new Shape3(16, 16, 12), NativePrecision.Float16, []);

        Assert.All(model.Graph.Initializer, t => Assert.Equal((int)TensorProto.Types.DataType.Float16, t.DataType));
        Assert.Equal((int)TensorProto.Types.DataType.Float, model.Graph.Input.Single().Type.TensorType.ElemType);
        Assert.Single(model.Graph.Node, n => n.OpType == "Cast" && n.Output[0] == "input_fp16");
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, model.Graph.Output.Single().Type.TensorType.ElemType);
    }

    [Fact]
    public void NativeFormOfAModelThatIsNotAModelBuildVNetShouldBeRefusedSayingWhy()
    {
        var path = Path.Combine(_dir, "m.onnx");
        var grid = new Shape3(16, 16, 12);
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2), 1), path, new VNetBuildOptions { Grid = grid });
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "up_tr64.up_conv.weight"));
        model.Graph.Initializer.Add(new TensorProto { Name = "up_tr64.up_conv.weight", DataType = (int)TensorProto.Types.DataType.Float });
        var broken = Path.Combine(_dir, "broken.onnx");
        File.WriteAllBytes(broken, model.ToByteArray());

        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(broken, new OnnxNetworkOptions { Logits = true, GraphForm = GraphForm.Native3D }));

        Assert.Equal(SegmentationErrorReason.InvalidModel, ex.Reason);
        Assert.Contains("graph form Native3D is not available: initializer 'up_tr64.up_conv.weight'", ex.Message, StringComparison.Ordinal);
    }
}
