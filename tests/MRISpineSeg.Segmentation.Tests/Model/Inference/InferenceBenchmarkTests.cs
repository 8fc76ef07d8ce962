using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Tests.EndToEnd;

namespace MRISpineSeg.Segmentation.Tests.Model.Inference;

/// <summary>The harness behind <c>spineseg model bench</c>, on a real ONNX Runtime session (what it reports, not how fast).</summary>
public sealed class InferenceBenchmarkTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    [Fact]
    public void ItShouldReportAWarmUpAndEachRunWithTheLabelsAndTheMemoryPeak()
    {
        var result = InferenceBenchmark.Run(model.Network, runs: 2)!;

        Assert.Equal(3, result.Seconds.Length);
        Assert.Equal(3, result.CpuSeconds.Length);
        Assert.All(result.Seconds, s => Assert.True(s > 0));
        Assert.Equal(RandomVNetFixture.Grid.Count, result.Labels.Length);
        Assert.Equal(result.Labels.Length, result.CountAgreeing(result.Labels));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(result.RssAfterLoadKb > 0);
            Assert.True(result.PeakRssKb > 0);
        }

        // The same deterministic input every time: a second benchmark gives the same labels.
        Assert.Equal(result.Labels, InferenceBenchmark.Run(model.Network, runs: 1)!.Labels);
    }

    [Fact]
    public void ACancelledRunShouldReportNothingAndAReferenceOfAnotherSizeShouldBeRefused()
    {
        Assert.Null(InferenceBenchmark.Run(model.Network, 1, new CancellationToken(canceled: true)));
        var result = InferenceBenchmark.Run(model.Network, 1)!;
        var ex = Assert.Throws<ArgumentException>(() => result.CountAgreeing(new byte[3]));
        Assert.Contains("3 labels", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceBenchmark.Run(model.Network, 0));
    }
}
