using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Metrics;
using MRISpineSeg.Segmentation.Model.Inference;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

/// <summary>
/// The committed real-anatomy model (local/models/spineseg-real-vb.onnx) on real scans it never trained on: chu2015
/// Case02 with its vertebral-body truth (local/realdata/chu2015/), and the demo's fastMONAI scan, which has no mask but
/// whose vertebrae must come out in anatomical order. A regression in orientation, preprocessing or the model on real
/// anatomy therefore fails CI, not only one on phantoms.
/// </summary>
public sealed class RealModelTests
{
    private static readonly string Model = DemoModelTests.RepositoryFile("local", "models", "spineseg-real-vb.onnx");

    [Fact]
    public async Task OnAHeldOutChu2015CaseTheVertebralBodyDiceShouldHold()
    {
        using var network = OnnxSegmentationNetwork.Load(Model, new OnnxNetworkOptions { IntraOpThreads = 2 });
        var result = await new Segmenter(network).SegmentFileAsync(DemoModelTests.RepositoryFile("local", "realdata", "chu2015", "Case02.nii.gz"));
        var truth = VolumeIO.Read(DemoModelTests.RepositoryFile("local", "realdata", "chu2015", "mask_case02.nii.gz"));

        Assert.Equal("RAS", result.Stats.Orientation); // stored RAS, segmented in PSR, written back RAS
        Assert.Equal(truth.Shape, result.Mask.Shape);
        var dice = ConfusionMatrix.Count(truth.Voxels.As<byte>().Data, result.Mask.Voxels.As<byte>().Data).DiceAll();
        var bodies = Enumerable.Range(2, 7).Select(l => dice[l] ?? 0).ToArray(); // L5 (2) .. T11 (8), all in the truth
        Assert.True(bodies.Average() >= MinimumMeanDice, $"vertebral-body Dice on held-out Case02: mean {bodies.Average():F4} ({string.Join(", ", bodies.Select(d => d.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))})");
        Assert.StartsWith("12 real sagittal T2", result.Stats.TrainingData);
        Assert.Null(result.Stats.KeepLargestRemovedVoxels); // its manifest does not ask for the clean-up: on real cases it did not help (card)
        Assert.Equal(7, result.Stats.LevelOrder?.Bodies); // its manifest asks for level ordering; Case02 shows L5..T11
    }

    [Fact]
    public async Task OnTheDemosRealScanTheVertebraeShouldComeOutInAnatomicalOrder()
    {
        using var network = OnnxSegmentationNetwork.Load(Model, new OnnxNetworkOptions { IntraOpThreads = 2 });
        var result = await new Segmenter(network).SegmentFileAsync(DemoModelTests.RepositoryFile("local", "realdata", "fastmonai_t2_lumbar.nii.gz"));

        // Stored slice axis first (R, A, S): axis 2 runs inferior to superior, so L5 (2) lies lowest and T11 (8) highest.
        var mask = result.Mask.Voxels.As<byte>().Data;
        var shape = result.Mask.Shape;
        var present = result.Stats.Structures.Select(s => s.Label).Where(l => l is >= 2 and <= 8).ToArray();
        Assert.True(present.Length >= 6, $"vertebral bodies found: {string.Join(", ", present)}");
        var heights = present.Select(l => MeanIndexAlongZ(mask, shape, (byte)l)).ToArray();
        for (var i = 1; i < heights.Length; i++)
            Assert.True(heights[i] > heights[i - 1], $"label {present[i]} should lie above label {present[i - 1]}: z {heights[i]:F1} vs {heights[i - 1]:F1}");
        foreach (var s in result.Stats.Structures.Where(s => s.Label is >= 2 and <= 8))
            Assert.InRange(s.VolumeMm3, 5_000, 80_000); // a lumbar vertebral body is roughly 15-60 cm^3
    }

    /// <summary>The pass mark for Case02: below what the model measured on it (its card), above anything a broken path gives.</summary>
    private const double MinimumMeanDice = 0.80;

    private static double MeanIndexAlongZ(ReadOnlySpan<byte> mask, Shape3 shape, byte label)
    {
        double sum = 0;
        long n = 0;
        var plane = shape.X * shape.Y;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] != label) continue;
            sum += i / plane;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }
}
