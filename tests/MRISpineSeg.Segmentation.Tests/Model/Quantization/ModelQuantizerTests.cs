using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Phantoms;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Quantization;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.Quantization;

public sealed class ModelQuantizerTests : IDisposable
{
    private static readonly Shape3 Grid = new(32, 32, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task QuantizedRandomModelShouldRunInOrtAndAgreeWithFp32()
    {
        var fp32 = BuildRandom(width: 4, seed: 5);
        var calibration = Phantoms("calibration", 100, 3);
        var int8 = Path.Combine(_dir, "int8.onnx");
        var result = await ModelQuantizer.QuantizeAsync(fp32, calibration, int8);

        Assert.Empty(result.Warnings);
        Assert.Equal(ModelManifest.Int8, result.Manifest.Precision);
        Assert.Equal(3, result.Manifest.Calibration!.ScanCount);
        // An untrained random network's 20 logits lie close together, so 8-bit rounding flips many near-ties: 94.2% of
        // voxels agree here. A wrong tap, channel order or scale gives chance-level agreement (~5-30%); 0.90 separates
        // the two. Trained models agree far more closely (DemoModelInt8Tests).
        var agreement = Agreement(fp32, int8, Phantoms("held-out", 200, 2));
        Assert.True(agreement >= 0.90, $"int8 labels agree with fp32 on {agreement:P2} of voxels");
    }

    private string BuildRandom(int width, ulong seed)
    {
        var path = Path.Combine(_dir, $"fp32-w{width}.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(width), seed, perturbNormalization: true), path, new VNetBuildOptions { Grid = Grid });
        return path;
    }

    private string Phantoms(string name, int firstSeed, int count)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++)
            PhantomGenerator.WriteCase(PhantomGenerator.Generate(firstSeed + i, new PhantomOptions { Shape = new Shape3(64, 64, 12) }), folder, i + 1);
        return folder;
    }

    /// <summary>Fraction of voxels whose labels agree between the two models, over every scan of <paramref name="folder"/> (masks excluded).</summary>
    internal static double Agreement(string fp32, string int8, string folder)
    {
        var options = new OnnxNetworkOptions { IntraOpThreads = 2 };
        using var a = OnnxSegmentationNetwork.Load(fp32, options);
        using var b = OnnxSegmentationNetwork.Load(int8, options);
        var segA = new Segmenter(a, new SegmenterOptions { RequireSpineLabels = false });
        var segB = new Segmenter(b, new SegmenterOptions { RequireSpineLabels = false });
        long same = 0, total = 0;
        foreach (var scan in Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith("mask_", StringComparison.Ordinal)))
        {
            var ma = segA.SegmentFileAsync(scan).GetAwaiter().GetResult().Mask.Voxels.As<byte>().Data;
            var mb = segB.SegmentFileAsync(scan).GetAwaiter().GetResult().Mask.Voxels.As<byte>().Data;
            for (var i = 0; i < ma.Length; i++) same += ma[i] == mb[i] ? 1 : 0;
            total += ma.Length;
        }

        return (double)same / total;
    }
}
