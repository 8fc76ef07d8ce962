using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Batch;
using MRISpineSeg.Segmentation.Tests.EndToEnd;

namespace MRISpineSeg.Segmentation.Tests.Batch;

public sealed class BatchRunnerTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    private static readonly BatchOutputs All = new(Preview: true, Stats: true);

    [Fact]
    public async Task EveryScanShouldGetTheMaskASingleSegmentGivesItAndItsFiles()
    {
        using var f = new BatchFolder();
        var scans = new[] { f.Scan("Case1.nii.gz", 1), f.Scan("Case2.nii.gz", 2), f.Scan("Case3.nii", 3) };
        var segmenter = new Segmenter(model.Network);
        var events = new Recorder();

        var summary = await BatchRunner.RunAsync(segmenter, BatchPlan.FromFolder(f.In, f.Out, All), overwrite: false, events);

        Assert.Equal((3, 3, 0, 0, false), (summary.Total, summary.Segmented, summary.Skipped, summary.Failures.Count, summary.Interrupted));
        Assert.Equal(
            ["Started Case1.nii.gz", "Segmented Case1.nii.gz", "Started Case2.nii.gz", "Segmented Case2.nii.gz", "Started Case3.nii", "Segmented Case3.nii"],
            events.Lines);
        foreach (var scan in scans)
        {
            var stem = Path.Combine(f.Out, VolumeIO.StripExtension(Path.GetFileName(scan)));
            var alone = await segmenter.SegmentFileAsync(scan);
            Assert.Equal(alone.Mask.Voxels.As<byte>().Data, VolumeIO.Read(stem + ".nii.gz").Voxels.As<byte>().Data);
            Assert.True(File.Exists(stem + ".preview.png"));
            Assert.True(File.Exists(stem + ".stats.json"));
        }
    }

    [Fact]
    public async Task BadScansShouldEachFailInOneLineWhileTheRunGoesOn()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        f.File("Case2.nii.gz", "this is not gzip"u8.ToArray());
        f.File("Case3.nii", []);
        f.File("Case4.nii.gz", new byte[] { 0x1f, 0x8b, 0x08, 0x00 }); // a gzip header cut short
        f.Scan("Case5.nii.gz");
        var events = new Recorder();

        var summary = await BatchRunner.RunAsync(new Segmenter(model.Network), BatchPlan.FromFolder(f.In, f.Out, All), overwrite: false, events);

        Assert.Equal(2, summary.Segmented);
        Assert.Equal(["Case2.nii.gz", "Case3.nii", "Case4.nii.gz"], summary.Failures.Select(x => x.Case.Name));
        foreach (var (c, error) in summary.Failures)
        {
            Assert.DoesNotContain('\n', error);
            Assert.Contains(c.Name, error);
            Assert.False(File.Exists(c.Mask));
        }

        Assert.True(File.Exists(Path.Combine(f.Out, "Case5.nii.gz")));
        Assert.Contains("Failed Case3.nii", events.Lines);
    }

    [Fact]
    public async Task FinishedCasesShouldBeSkippedOnARerunUnlessOverwriting()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        f.Scan("Case2.nii.gz");
        var segmenter = new Segmenter(model.Network);
        var plan = BatchPlan.FromFolder(f.In, f.Out, All);
        await BatchRunner.RunAsync(segmenter, plan, overwrite: false);
        File.Delete(Path.Combine(f.Out, "Case2.preview.png")); // an unfinished case is not skipped
        var before = File.GetLastWriteTimeUtc(Path.Combine(f.Out, "Case1.nii.gz"));

        var again = await BatchRunner.RunAsync(segmenter, plan, overwrite: false);
        Assert.Equal((1, 1), (again.Segmented, again.Skipped));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(f.Out, "Case1.nii.gz")));
        Assert.True(File.Exists(Path.Combine(f.Out, "Case2.preview.png")));

        var forced = await BatchRunner.RunAsync(segmenter, plan, overwrite: true);
        Assert.Equal((2, 0), (forced.Segmented, forced.Skipped));
    }

    [Fact]
    public async Task CancellingShouldKeepFinishedCasesAndLeaveNoTemporaryFile()
    {
        using var f = new BatchFolder();
        for (var i = 1; i <= 4; i++) f.Scan($"Case{i}.nii.gz", i);
        using var cts = new CancellationTokenSource();
        var events = new Recorder(e =>
        {
            if (e is { Outcome: BatchOutcome.Started, Index: 2 }) cts.Cancel(); // during case 3
        });

        var summary = await BatchRunner.RunAsync(new Segmenter(model.Network), BatchPlan.FromFolder(f.In, f.Out, All), overwrite: false, events, cts.Token);

        Assert.True(summary.Interrupted);
        Assert.Equal((2, 2), (summary.Segmented, summary.NotReached));
        Assert.Empty(f.LeftoverTemporaryFiles());
        Assert.Equal(
            ["Case1.nii.gz", "Case1.preview.png", "Case1.stats.json", "Case2.nii.gz", "Case2.preview.png", "Case2.stats.json"],
            Directory.GetFiles(f.Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var mask in Directory.GetFiles(f.Out, "*.nii.gz")) Assert.Equal(VoxelType.UInt8, VolumeIO.Read(mask).VoxelType);
    }

    private sealed class Recorder(Action<BatchEvent>? onEvent = null) : IProgress<BatchEvent>
    {
        public List<string> Lines { get; } = [];

        public void Report(BatchEvent value)
        {
            Lines.Add($"{value.Outcome} {value.Case.Name}");
            onEvent?.Invoke(value);
        }
    }
}
