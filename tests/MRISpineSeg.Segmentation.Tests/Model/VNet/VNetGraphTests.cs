using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.VNet;

public sealed class VNetGraphTests
{
    [Theory]
    [InlineData(VNetActivation.PRelu)]
    [InlineData(VNetActivation.Elu)]
    public void OnnxLogitsShouldMatchNaiveReferenceWithin1e4(VNetActivation activation)
    {
        var arch = VNetArchitecture.Spine(2, 20, activation);
        var weights = RandomWeights.Create(arch, 7, perturbNormalization: true);
        var grid = new Shape3(16, 16, 12);
        var input = RandomInput(grid, 11);
        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "w2.onnx");
            VNetModelBuilder.Write(weights, path, new VNetBuildOptions { Grid = grid });
            using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 1 });
            var output = net.Predict(input, includeLogits: true);
            var reference = NaiveVNet.Logits(arch, weights, input, grid.X, grid.Y, grid.Z);

            Assert.Equal(reference.Length, output.Logits!.Length);
            var maxAbs = 0.0;
            for (var i = 0; i < reference.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(reference[i] - output.Logits[i]));
            Assert.True(maxAbs <= 1e-4, $"max |onnx - reference| = {maxAbs}");
            Assert.True(reference.Select(Math.Abs).Max() > 0.5, "logits should not be trivially small");
            Assert.Equal(NaiveVNet.ArgMax(output.Logits, 20), output.Labels);
            Assert.True(output.Labels.Distinct().Count() > 3, "a random network should spread over several classes");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ModelFileShouldCarryPaddleNamesAndTheManifest()
    {
        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "m.onnx");
            var manifest = VNetModelBuilder.Write(
                RandomWeights.Create(VNetArchitecture.Spine(2), 3),
                path,
                new VNetBuildOptions { Grid = new Shape3(32, 32, 12), ModelId = "demo" });
            var info = MRISpineSeg.Segmentation.Model.Onnx.OnnxModelInfo.Read(path);
            Assert.Equal(17, info.Opset);
            Assert.Equal(["input float [1,1,32,32,12]"], info.Inputs);
            Assert.Equal(["logits float [1,20,32,32,12]", "labels uint8 [1,32,32,12]"], info.Outputs);
            Assert.Equal(VNetArchitecture.Spine(2).Parameters().Sum(p => p.Count), info.ParameterCount);
            var read = MRISpineSeg.Segmentation.Model.ManifestCodec.FromMetadata(info.Metadata, path);
            Assert.Equal("demo", read.ModelId);
            Assert.Equal(new Shape3(32, 32, 12), read.InputGrid);
            Assert.Equal(manifest.WeightsSha256, read.WeightsSha256);
            Assert.Equal("T9/T10", read.ClassNames[19]);
            Assert.Equal(2650, read.ClipMax);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void SlabbedTailShouldMatchTheWholeTail(int slabs)
    {
        var weights = RandomWeights.Create(VNetArchitecture.Spine(2), 8, perturbNormalization: true);
        var grid = new Shape3(32, 16, 12);
        var input = RandomInput(grid, 4);
        var dir = TestFiles.TempDir();
        try
        {
            var whole = Path.Combine(dir, "whole.onnx");
            var slabbed = Path.Combine(dir, "slabbed.onnx");
            VNetModelBuilder.Write(weights, whole, new VNetBuildOptions { Grid = grid, TailSlabs = 1 });
            VNetModelBuilder.Write(weights, slabbed, new VNetBuildOptions { Grid = grid, TailSlabs = slabs });
            var slices = MRISpineSeg.Segmentation.Model.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(slabbed)).Graph.Node.Count(n => n.OpType == "Slice");
            Assert.True(slices >= 2 * slabs, $"{slices} Slice nodes for {slabs} slabs");
            var (ra, rb, maxAbs) = ModelPair.Predict(whole, slabbed, input, threads: 0);
            Assert.True(maxAbs <= 1e-5, $"max |slabbed - whole| = {maxAbs}");
            Assert.Equal(ra.Labels, rb.Labels);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Width 16 is the first whose channel counts fill ORT's 16-wide NCHWc blocks, so only here do the per-z-tap 2-D
    /// convolutions run as NCHWc kernels with the tap sums fused into them, and the slabbed tail's ordering zeros
    /// come from NCHWc tensors. Slabbed (3 slabs along x) against the naive 3-D reference.
    /// </summary>
    [Fact]
    public void Width16SlabbedOnnxLogitsShouldMatchNaiveReferenceWithin1e4()
    {
        var arch = VNetArchitecture.Spine(16);
        var weights = RandomWeights.Create(arch, 9, perturbNormalization: true);
        var grid = new Shape3(32, 16, 12);
        var input = RandomInput(grid, 5);
        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "w16.onnx");
            VNetModelBuilder.Write(weights, path, new VNetBuildOptions { Grid = grid, TailSlabs = 3 });
            using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 2 });
            var output = net.Predict(input, includeLogits: true);
            var reference = NaiveVNet.Logits(arch, weights, input, grid.X, grid.Y, grid.Z);
            var maxAbs = 0.0;
            for (var i = 0; i < reference.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(reference[i] - output.Logits![i]));
            Assert.True(maxAbs <= 1e-4, $"max |onnx - reference| = {maxAbs}");
            Assert.True(reference.Select(Math.Abs).Max() > 0.5, "logits should not be trivially small");
            Assert.Equal(NaiveVNet.ArgMax(output.Logits!, 20), output.Labels);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    internal static float[] RandomInput(Shape3 grid, int seed)
    {
        var rng = new Random(seed);
        var x = new float[grid.Count];
        for (var i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        return x;
    }
}
