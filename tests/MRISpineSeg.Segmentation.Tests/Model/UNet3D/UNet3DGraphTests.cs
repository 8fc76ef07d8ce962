using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.UNet3D;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Model.UNet3D;

public sealed class UNet3DGraphTests
{
    [Fact]
    public void LogitsShouldMatchPyTorchsReExpressionOfPaddlesUNet3DWithin1e3()
    {
        // Goldens/unet3d/make_unet3d_golden.py: base 2, 5 classes, grid 32x48x16, Paddle keys in a .pdparams.
        var weights = PdparamsReader.Read(Golden.Path("unet3d/unet3d_b2.pdparams"));
        var input = Golden.ReadFloats(Golden.Path("unet3d/unet3d_b2_input.f32"));
        var expected = Golden.ReadFloats(Golden.Path("unet3d/unet3d_b2_logits.f32"));
        var output = Run(weights, new Shape3(32, 48, 16), input, out var manifest);

        Assert.Equal(expected.Length, output.Logits!.Length);
        Assert.True(MaxAbs(expected, output.Logits) <= 1e-3, $"max |onnx - torch| = {MaxAbs(expected, output.Logits)}");
        Assert.True(expected.Select(Math.Abs).Max() > 1, "the golden logits should not be trivially small");
        var torchLabels = NaiveVNet.ArgMax(expected, 5);
        Assert.True(torchLabels.Zip(output.Labels, (p, q) => p == q).Count(same => same) >= 0.999 * torchLabels.Length, "labels should be PyTorch's argmax up to near-ties");
        Assert.Equal(5, output.Labels.Distinct().Count());
        Assert.Equal(("unet3d", 2, 5), (manifest.Architecture, manifest.Width, manifest.NumClasses));
    }

    [Fact]
    public void LogitsShouldMatchANaiveReferenceWithin1e4()
    {
        var arch = UNet3DArchitecture.Create(1, 3);
        var weights = RandomWeights.Create(arch.Parameters(), 5, perturbNormalization: true);
        var grid = new Shape3(16, 32, 16);
        var rng = new Random(3);
        var input = Enumerable.Range(0, (int)grid.Count).Select(_ => (float)rng.NextDouble()).ToArray();

        var output = Run(weights, grid, input, out _);
        var reference = NaiveUNet3D.Logits(arch, weights, input, grid.X, grid.Y, grid.Z);

        Assert.True(MaxAbs(reference, output.Logits!) <= 1e-4, $"max |onnx - naive| = {MaxAbs(reference, output.Logits!)}");
        Assert.True(reference.Select(Math.Abs).Max() > 0.5, "the reference logits should not be trivially small");
        Assert.Equal(NaiveVNet.ArgMax(output.Logits!, 3), output.Labels);
    }

    [Fact]
    public void PyTorchsTrilinearUpsamplingShouldBeTheNaiveHalfPixelRule()
    {
        var input = Golden.ReadFloats(Golden.Path("unet3d/upsample_input.f32"));
        var torch = Golden.ReadFloats(Golden.Path("unet3d/upsample_torch.f32"));

        var naive = NaiveUNet3D.Up(new NaiveUNet3D.T(2, 3, 4, 5, input.Select(v => (double)v).ToArray())).V.Select(v => (float)v).ToArray();

        Assert.True(MaxAbs(torch, naive) <= 1e-6, $"max |torch - naive| = {MaxAbs(torch, naive)}");
    }

    [Theory]
    [InlineData(512, 512, 12, "512,512,16")]
    [InlineData(128, 120, 16, "128,128,16")]
    [InlineData(40, 16, 16, "48,16,16")]
    public void AGridThatIsNotAMultipleOf16ShouldBeRefusedNamingTheRuleAndTheNearestValidGrid(int x, int y, int z, string nearest)
    {
        var weights = RandomWeights.Create(UNet3DArchitecture.Create(1, 3).Parameters(), 1);
        var dir = TestFiles.TempDir();
        try
        {
            var ex = Assert.Throws<SegmentationException>(() => UNet3DModelBuilder.Write(weights, Path.Combine(dir, "m.onnx"), new UNet3DBuildOptions { Grid = new Shape3(x, y, z) }));

            Assert.Equal(SegmentationErrorReason.InputMismatch, ex.Reason);
            Assert.Contains($"every extent must be a multiple of 16; the nearest valid grid is {nearest}", ex.Message);
            Assert.False(File.Exists(Path.Combine(dir, "m.onnx")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheModelFileShouldCarryPaddlesKeysTheGridRuleAndTheSpineGridByDefault()
    {
        Assert.Equal(new Shape3(512, 512, 16), new UNet3DBuildOptions().Grid);
        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "m.onnx");
            var arch = UNet3DArchitecture.Create(2, 20);
            UNet3DModelBuilder.Write(RandomWeights.Create(arch.Parameters(), 3), path, new UNet3DBuildOptions { Grid = new Shape3(32, 32, 16) });

            var info = OnnxModelInfo.Read(path);
            var manifest = ManifestCodec.FromMetadata(info.Metadata, path);

            Assert.Equal(["input float [1,1,32,32,16]"], info.Inputs);
            Assert.Equal(["logits float [1,20,32,32,16]", "labels uint8 [1,32,32,16]"], info.Outputs);
            Assert.Equal(arch.ParameterCount(), info.ParameterCount - 5); // + the Resize scales
            Assert.Equal(new Shape3(16, 16, 16), manifest.GridMultiple);
            Assert.Equal("unet3d-b2-random", manifest.ModelId);
            Assert.Equal("T9/T10", manifest.ClassNames[19]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static NetworkOutput Run(WeightSet weights, Shape3 grid, float[] input, out ModelManifest manifest)
    {
        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "unet3d.onnx");
            manifest = UNet3DModelBuilder.Write(weights, path, new UNet3DBuildOptions { Grid = grid, ClassNaming = ClassNaming.Generic });
            using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 1 });
            return net.Predict(input, includeLogits: true);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static double MaxAbs(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var m = 0.0;
        for (var i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
