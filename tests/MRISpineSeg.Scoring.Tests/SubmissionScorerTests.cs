using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Tests.Support;

namespace MRISpineSeg.Scoring.Tests;

public sealed class SubmissionScorerTests
{
    [Fact]
    public async Task APerfectPredictionShouldScoreOneOnEveryConvention()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        var labels = Masks.Boxes(4, null, Enumerable.Range(1, 19).ToArray());
        Masks.Write(t, "mask_case1.nii.gz", labels);
        Masks.Write(p, "Case1.nii.gz", labels);
        var report = await Score(t, p);
        Assert.Equal(1.0, report.ChallengeMean);
        var c = Assert.Single(report.Cases);
        Assert.Equal("Case1", c.Name);
        Assert.Equal(1.0, c.Conventions["vertebrae"]);
        Assert.Equal(1.0, c.Conventions["discs"]);
        Assert.All(c.Dice, d => Assert.True(d is null or 1.0));
    }

    [Fact]
    public async Task MissingAndExtraPredictionsShouldBeListedTogetherInOneError()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        foreach (var i in new[] { 1, 2, 3 }) Masks.Write(t, $"mask_case{i}.nii.gz", Masks.Boxes(i));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1));
        Masks.Write(p, "Case9.nii.gz", Masks.Boxes(1));
        Masks.Write(p, "Case10.nii.gz", Masks.Boxes(1));
        var ex = await Assert.ThrowsAsync<ScoringException>(() => Score(t, p));
        Assert.Equal(ScoringErrorReason.MissingCase, ex.Reason);
        Assert.Contains("Case2, Case3", ex.Message);
        Assert.Contains("Case9.nii.gz", ex.Message);
        Assert.Contains("Case10.nii.gz", ex.Message);
        Assert.Equal(4, ex.Problems.Count);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task AMaskDeclaringAHugeGridShouldBeRefusedFromItsHeaderBeforeAnyVoxelIsDecoded()
    {
        // F7: three ~KB masks declaring 2048x2048x500 took the host to 9 GB, because shapes were compared after decoding.
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        Masks.Write(t, "mask_case1.nii.gz", Masks.Boxes(1));
        Masks.Write(t, "mask_case2.nii.gz", Masks.Boxes(2));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1));
        File.WriteAllBytes(Path.Combine(p, "Case2.nii.gz"), HugeHeaderOnlyMaskNiiGz(2048, 2048, 500));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = await Assert.ThrowsAsync<ScoringException>(() => Score(t, p));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(ScoringErrorReason.ShapeMismatch, problem.Reason);
        Assert.Contains("declares 2048x2048x500 voxels but the ground truth is 16x12x4", problem.Detail);
        Assert.True(allocated < 256L << 20, $"refusing it allocated {allocated:N0} bytes"); // the grid alone is 2 GB
    }

    /// <summary>A gzip NIfTI-1 (uint8) whose header declares the grid but carries only a few voxels.</summary>
    private static byte[] HugeHeaderOnlyMaskNiiGz(short x, short y, short z)
    {
        var header = new byte[352];
        BitConverter.TryWriteBytes(header.AsSpan(0), 348);
        short[] dim = [3, x, y, z, 1, 1, 1, 1];
        for (var i = 0; i < 8; i++) BitConverter.TryWriteBytes(header.AsSpan(40 + (2 * i)), dim[i]);
        BitConverter.TryWriteBytes(header.AsSpan(70), (short)2); // datatype uint8
        BitConverter.TryWriteBytes(header.AsSpan(72), (short)8); // bitpix
        float[] pixdim = [1, 0.6f, 0.6f, 4.4f, 1, 1, 1, 1];
        for (var i = 0; i < 8; i++) BitConverter.TryWriteBytes(header.AsSpan(76 + (4 * i)), pixdim[i]);
        BitConverter.TryWriteBytes(header.AsSpan(108), 352f); // vox_offset
        BitConverter.TryWriteBytes(header.AsSpan(252), (short)1); // qform_code
        "n+1\0"u8.CopyTo(header.AsSpan(344));
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(header);
            gz.Write(new byte[1000]);
        }

        return ms.ToArray();
    }

    [Fact]
    public async Task EveryBadCaseShouldBeReportedInOneMessage()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        for (var i = 1; i <= 7; i++) Masks.Write(t, $"mask_case{i}.nii.gz", Masks.Boxes(i));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1));
        Masks.Write(p, "Case2.nii.gz", new byte[10 * 12 * 4], new Shape3(10, 12, 4));
        Masks.Write(p, "Case3.nii.gz", Masks.Boxes(3), geometry: Masks.Grid(ox: 0.5));
        var outOfRange = Masks.Boxes(4);
        outOfRange[7] = 20;
        outOfRange[8] = 255;
        Masks.Write(p, "Case4.nii.gz", outOfRange);
        var fractional = Masks.Boxes(5).Select(b => (float)b).ToArray();
        fractional[3] = 2.5f;
        Masks.WriteFloat(p, "Case5.nii.gz", fractional);
        var negative = Masks.Boxes(6).Select(b => (float)b).ToArray();
        negative[3] = -1f;
        Masks.WriteFloat(p, "Case6.nii.gz", negative);
        File.WriteAllBytes(Path.Combine(p, "Case7.nii.gz"), [1, 2, 3, 4]);

        var ex = await Assert.ThrowsAsync<ScoringException>(() => Score(t, p));
        Assert.StartsWith("6 of 7 cases cannot be scored", ex.Message);
        var reasons = ex.Problems.ToDictionary(x => x.Case, x => x.Reason);
        Assert.Equal(ScoringErrorReason.ShapeMismatch, reasons["Case2"]);
        Assert.Equal(ScoringErrorReason.GeometryMismatch, reasons["Case3"]);
        Assert.Equal(ScoringErrorReason.LabelOutOfRange, reasons["Case4"]);
        Assert.Equal(ScoringErrorReason.NonIntegerLabel, reasons["Case5"]);
        Assert.Equal(ScoringErrorReason.LabelOutOfRange, reasons["Case6"]);
        Assert.Equal(ScoringErrorReason.UnreadableMask, reasons["Case7"]);
        Assert.Contains("10x12x4", ex.Message);
        Assert.Contains("--ignore-geometry", ex.Message);
        Assert.Contains("20, 255 outside 0..19", ex.Message);
        Assert.Contains("2.5", ex.Message);
        Assert.Contains("-1 outside 0..19", ex.Message);
        Assert.DoesNotContain("Case1:", ex.Message);
    }

    [Fact]
    public async Task BadGroundTruthShouldBeReportedAsGroundTruth()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        var labels = Masks.Boxes(1);
        labels[0] = 21;
        Masks.Write(t, "mask_case1.nii.gz", labels);
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1));
        var ex = await Assert.ThrowsAsync<ScoringException>(() => Score(t, p));
        Assert.Equal(ScoringErrorReason.LabelOutOfRange, ex.Reason);
        Assert.Contains("ground truth mask_case1.nii.gz holds label values 21", ex.Message);
    }

    [Fact]
    public async Task GeometryWithinTheToleranceShouldPassAndIgnoreGeometryShouldWaiveIt()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        Masks.Write(t, "mask_case1.nii.gz", Masks.Boxes(1));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1), geometry: Masks.Grid(ox: 0.0005));
        Assert.Equal(1.0, (await Score(t, p)).ChallengeMean);
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1), geometry: Masks.Grid(sz: 5.0));
        await Assert.ThrowsAsync<ScoringException>(() => Score(t, p));
        var report = await Score(t, p, new ScoringOptions { IgnoreGeometry = true });
        Assert.False(report.GeometryChecked);
        Assert.Equal(1.0, report.ChallengeMean);
    }

    [Fact]
    public async Task AFloatMaskWithWholeLabelsShouldScoreLikeTheByteMask()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        Masks.Write(t, "mask_case1.nii.gz", Masks.Boxes(1));
        Masks.WriteFloat(p, "Case1.nii.gz", Masks.Boxes(2).Select(b => (float)b).ToArray());
        var viaFloat = await Score(t, p);
        File.Delete(Path.Combine(p, "Case1.nii.gz"));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(2));
        var viaBytes = await Score(t, p);
        Assert.Equal(viaBytes.ChallengeMean, viaFloat.ChallengeMean);
        Assert.True(viaFloat.ChallengeMean < 1.0);
    }

    [Fact]
    public async Task ProgressShouldReachTheTotal()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        for (var i = 1; i <= 3; i++)
        {
            Masks.Write(t, $"mask_case{i}.nii.gz", Masks.Boxes(i));
            Masks.Write(p, $"Case{i}.nii.gz", Masks.Boxes(i + 10));
        }

        var seen = new List<ScoringProgress>();
        var progress = new SyncProgress(seen);
        using var ts = SubmissionFolder.Open(t);
        using var ps = SubmissionFolder.Open(p);
        await SubmissionScorer.ScoreAsync(ts, ps, null, progress);
        Assert.Contains(new ScoringProgress(3, 3), seen);
    }

    [Fact]
    public async Task CancellationShouldStopScoring()
    {
        using var tmp = new TempDir();
        var (t, p) = (tmp.Sub("t"), tmp.Sub("p"));
        Masks.Write(t, "mask_case1.nii.gz", Masks.Boxes(1));
        Masks.Write(p, "Case1.nii.gz", Masks.Boxes(1));
        using var ts = SubmissionFolder.Open(t);
        using var ps = SubmissionFolder.Open(p);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SubmissionScorer.ScoreAsync(ts, ps, cancellationToken: new CancellationToken(true)));
    }

    private static async Task<MRISpineSeg.Scoring.Reports.ScoreReport> Score(string truth, string pred, ScoringOptions? options = null)
    {
        using var t = SubmissionFolder.Open(truth);
        using var p = SubmissionFolder.Open(pred);
        return await SubmissionScorer.ScoreAsync(t, p, options);
    }

    private sealed class SyncProgress(List<ScoringProgress> seen) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value)
        {
            lock (seen) seen.Add(value);
        }
    }
}
