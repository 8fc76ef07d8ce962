using MRISpineSeg.Segmentation.Batch;

namespace MRISpineSeg.Segmentation.Tests.Batch;

public sealed class BatchPlanTests
{
    private static readonly BatchOutputs All = new(Preview: true, Stats: true);

    [Fact]
    public void AFolderShouldListItsScansInNaturalOrderWithOutputsNamedAsThePipelineNamesThem()
    {
        using var f = new BatchFolder();
        f.Scan("Case10.nii.gz");
        f.Scan("Case2.nii");
        f.Scan("Case1.mha");

        var plan = BatchPlan.FromFolder(f.In, f.Out, All);

        Assert.Equal(["Case1.mha", "Case2.nii", "Case10.nii.gz"], plan.Cases.Select(c => c.Name));
        var c2 = plan.Cases[1];
        Assert.Equal(Path.Combine(f.Out, "Case2.nii.gz"), c2.Mask);
        Assert.Equal(Path.Combine(f.Out, "Case2.preview.png"), c2.Preview);
        Assert.Equal(Path.Combine(f.Out, "Case2.stats.json"), c2.Stats);
        Assert.Empty(plan.Notes);
        Assert.False(Directory.Exists(f.Out)); // planning writes nothing
    }

    [Fact]
    public void MasksSubFoldersAndOtherFilesShouldBeSkippedEachWithANote()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        f.Scan("mask_case1.nii.gz");
        f.Scan("MASK_case2.nii.gz");
        f.File("notes.txt", "x"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(f.In, "extra"));

        var plan = BatchPlan.FromFolder(f.In, f.Out, default);

        Assert.Equal(["Case1.nii.gz"], plan.Cases.Select(c => c.Name));
        Assert.Null(plan.Cases[0].Preview);
        Assert.Equal(3, plan.Notes.Count);
        Assert.Contains(plan.Notes, n => n.Contains("2 masks (mask_*, not scans): mask_case1.nii.gz, MASK_case2.nii.gz", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Contains("notes.txt: not a scan", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Contains("extra/: a folder", StringComparison.Ordinal));
    }

    [Fact]
    public void AMetaImageDataFileShouldBeReadWithItsHeaderNotNoted()
    {
        using var f = new BatchFolder();
        f.Scan("Case4.mhd");
        Assert.True(File.Exists(Path.Combine(f.In, "Case4.raw")));

        var plan = BatchPlan.FromFolder(f.In, f.Out, default);

        Assert.Equal(["Case4.mhd"], plan.Cases.Select(c => c.Name));
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void AnEmptyFolderShouldBeRefusedSayingWhatAScanIs()
    {
        using var f = new BatchFolder();
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFolder(f.In, f.Out, default));
        Assert.Equal(SegmentationErrorReason.InvalidRequest, ex.Reason);
        Assert.Contains("holds no scans (.nii.gz, .nii, .mha, .mhd", ex.Message);
    }

    [Fact]
    public void AFolderOfMasksOnlyShouldBeRefusedNamingWhatWasSkipped()
    {
        using var f = new BatchFolder();
        f.Scan("mask_case1.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFolder(f.In, f.Out, default));
        Assert.Contains("holds no scans", ex.Message);
        Assert.Contains("mask_case1.nii.gz", ex.Message);
    }

    [Fact]
    public void TheInputFolderAsOutputShouldBeRefused()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFolder(f.In, f.In + "/", default));
        Assert.Equal(SegmentationErrorReason.InvalidRequest, ex.Reason);
        Assert.Contains("is the input folder itself", ex.Message);
    }

    [Fact]
    public void AnOutputFolderInsideTheInputFolderShouldBeRefused()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFolder(f.In, Path.Combine(f.In, "masks", "v1"), default));
        Assert.Contains("lies inside the input folder", ex.Message);
    }

    [Fact]
    public void ASiblingFolderWhoseNameStartsLikeTheInputShouldBeAllowed()
    {
        using var f = new BatchFolder();
        f.Scan("Case1.nii.gz");
        Assert.Single(BatchPlan.FromFolder(f.In, f.In + "-masks", default).Cases);
    }

    [Fact]
    public void TwoScansThatWouldWriteTheSameMaskShouldBeRefused()
    {
        using var f = new BatchFolder();
        f.Scan("Case3.nii");
        f.Scan("Case3.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFolder(f.In, f.Out, default));
        Assert.Contains("Case3.nii and Case3.nii.gz would both write Case3.nii.gz", ex.Message);
    }

    [Fact]
    public void FilesWhoseMasksWouldOverwriteThemShouldBeRefused()
    {
        using var f = new BatchFolder();
        var a = f.Scan("Case1.nii.gz");
        var b = f.Scan("Case2.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFiles([a, b], f.In, default));
        Assert.Contains("would overwrite an input scan", ex.Message);
    }

    [Fact]
    public void AMissingFileShouldBeRefusedByName()
    {
        using var f = new BatchFolder();
        var a = f.Scan("Case1.nii.gz");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFiles([a, Path.Combine(f.In, "Case9.nii.gz")], f.Out, default));
        Assert.Contains("Case9.nii.gz\" does not exist", ex.Message);
    }

    [Fact]
    public void AnOutputThatIsAFileShouldBeRefused()
    {
        using var f = new BatchFolder();
        var a = f.Scan("Case1.nii.gz");
        var file = Path.Combine(f.Root, "out.txt");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<SegmentationException>(() => BatchPlan.FromFiles([a], file, default));
        Assert.Contains("is a file", ex.Message);
    }
}
