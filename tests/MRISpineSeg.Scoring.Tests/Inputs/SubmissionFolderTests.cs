using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Tests.Support;

namespace MRISpineSeg.Scoring.Tests.Inputs;

public sealed class SubmissionFolderTests
{
    [Fact]
    public void FolderShouldListMasksByCaseAndIgnoreOtherFiles()
    {
        using var tmp = new TempDir();
        Masks.Write(tmp.Path, "Case10.nii.gz", new byte[Masks.Small.Count]);
        Masks.Write(tmp.Path, "mask_case2.nii", new byte[Masks.Small.Count]);
        File.WriteAllText(tmp.File("README.txt"), "notes");
        using var source = SubmissionFolder.Open(tmp.Path);
        Assert.Equal([2, 10], source.Masks.Select(m => m.CaseId));
        Assert.Equal("mask_case2.nii", source.Masks[0].Name);
    }

    [Fact]
    public void MasksInsideOneSubfolderShouldBeFound()
    {
        using var tmp = new TempDir();
        Masks.Write(tmp.Sub("preds"), "Case1.nii.gz", new byte[Masks.Small.Count]);
        using var source = SubmissionFolder.Open(tmp.Path);
        Assert.Equal("preds/Case1.nii.gz", Assert.Single(source.Masks).Name);
    }

    [Fact]
    public void MasksSpreadOverTwoFoldersShouldBeRefused()
    {
        using var tmp = new TempDir();
        Masks.Write(tmp.Sub("a"), "Case1.nii.gz", new byte[Masks.Small.Count]);
        Masks.Write(tmp.Sub("b"), "Case2.nii.gz", new byte[Masks.Small.Count]);
        var ex = Assert.Throws<ScoringException>(() => SubmissionFolder.Open(tmp.Path));
        Assert.Equal(ScoringErrorReason.InvalidLayout, ex.Reason);
        Assert.Contains("a/, b/", ex.Message);
    }

    [Fact]
    public void TwoFilesForOneCaseShouldBeRefusedNamingBoth()
    {
        using var tmp = new TempDir();
        Masks.Write(tmp.Path, "Case1.nii.gz", new byte[Masks.Small.Count]);
        Masks.Write(tmp.Path, "mask_case001.nii", new byte[Masks.Small.Count]);
        var ex = Assert.Throws<ScoringException>(() => SubmissionFolder.Open(tmp.Path));
        Assert.Equal(ScoringErrorReason.DuplicateCase, ex.Reason);
        Assert.Contains("Case1.nii.gz", ex.Message);
        Assert.Contains("mask_case001.nii", ex.Message);
    }

    [Fact]
    public void AVolumeWithoutCaseIdShouldBeAnErrorNamingIt()
    {
        using var tmp = new TempDir();
        Masks.Write(tmp.Path, "Case1.nii.gz", new byte[Masks.Small.Count]);
        Masks.Write(tmp.Path, "prediction.nii.gz", new byte[Masks.Small.Count]);
        var ex = Assert.Throws<ScoringException>(() => SubmissionFolder.Open(tmp.Path));
        Assert.Equal(ScoringErrorReason.InvalidLayout, ex.Reason);
        Assert.Contains("prediction.nii.gz", ex.Message);
    }

    [Fact]
    public void AnEmptyFolderShouldSayWhatItExpected()
    {
        using var tmp = new TempDir();
        var ex = Assert.Throws<ScoringException>(() => SubmissionFolder.Open(tmp.Path));
        Assert.Equal(ScoringErrorReason.InvalidLayout, ex.Reason);
        Assert.Contains("holds no masks", ex.Message);
    }

    [Fact]
    public async Task AMissingPathShouldBeSourceNotFound()
    {
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionSources.OpenAsync("/nonexistent/preds"));
        Assert.Equal(ScoringErrorReason.SourceNotFound, ex.Reason);
    }

    [Fact]
    public async Task AFileThatIsNotAZipShouldBeRefusedSayingWhatToGive()
    {
        using var tmp = new TempDir();
        var path = Masks.Write(tmp.Path, "Case1.nii.gz", new byte[Masks.Small.Count]);
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionSources.OpenAsync(path));
        Assert.Equal(ScoringErrorReason.SourceNotFound, ex.Reason);
        Assert.Contains("not a .zip", ex.Message);
    }
}
