using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Tests.Contracts;

public sealed class BlobLayoutTests
{
    [Theory]
    [InlineData("Case3.nii.gz", "Case3.nii.gz", "Case3.preview.png", "Case3.stats.json", "Case3.error.json")]
    [InlineData("site/Case3.nii", "site/Case3.nii.gz", "site/Case3.preview.png", "site/Case3.stats.json", "site/Case3.error.json")]
    [InlineData("Case3.mha", "Case3.nii.gz", "Case3.preview.png", "Case3.stats.json", "Case3.error.json")]
    public void OutputsShouldSitBesideTheScanStem(string scan, string mask, string preview, string stats, string error)
    {
        Assert.Equal(mask, BlobLayout.MaskName(scan));
        Assert.Equal(preview, BlobLayout.PreviewName(scan));
        Assert.Equal(stats, BlobLayout.StatsName(scan));
        Assert.Equal(error, BlobLayout.ScanErrorName(scan));
    }

    [Fact]
    public void ANameWhoseOutputsWouldPassTheStorageLimitShouldBeRefusedNamingTheLimit()
    {
        var fits = new string('a', BlobLayout.MaxNameLength - ".preview.png".Length) + ".nii.gz";
        BlobLayout.ValidateScanName(fits);
        Assert.Equal(BlobLayout.MaxNameLength, BlobLayout.PreviewName(fits).Length);

        var tooLong = "b" + fits;
        var ex = Assert.Throws<PipelineException>(() => BlobLayout.ValidateScanName(tooLong));
        Assert.Contains("outputs' names would be 1025 characters", ex.Message);
        Assert.Contains("at most 1012 characters before the extension", ex.Message);
        Assert.Throws<PipelineException>(() => BlobLayout.MaskName(tooLong));
    }

    [Theory]
    [InlineData("../ground-truth/mask_case1.nii.gz")]
    [InlineData("/abs.nii.gz")]
    [InlineData("a\\b.nii.gz")]
    [InlineData("bell\u0007.nii.gz")]
    public void AnUnsafeNamesErrorReportShouldGoUnderANameItCannotChoose(string name)
    {
        var error = BlobLayout.ScanErrorName(name);
        Assert.StartsWith(BlobLayout.RejectedFolder, error);
        Assert.Matches("^_rejected/[0-9a-f]{64}\\.error\\.json$", error);
        Assert.Null(BlobLayout.PathProblem(error));
        Assert.Equal(error, BlobLayout.ScanErrorName(name)); // stable, so a repeat overwrites rather than piles up
        Assert.Throws<PipelineException>(() => BlobLayout.MaskName(name)); // and no output name is ever built from it
    }

    [Fact]
    public void AScanInsideTheRejectedFolderShouldNotReachItsReportNames()
    {
        var name = "_rejected/" + new string('0', 64) + ".nii.gz";
        Assert.NotEqual("_rejected/" + new string('0', 64) + ".error.json", BlobLayout.ScanErrorName(name));
        Assert.Matches("^_rejected/[0-9a-f]{64}\\.error\\.json$", BlobLayout.ScanErrorName(name));
    }

    [Fact]
    public void ErrorNameOfANonVolumeShouldKeepItsWholeName() => Assert.Equal("photo.png.error.json", BlobLayout.ScanErrorName("photo.png"));

    [Theory]
    [InlineData("Case1.nii")]
    [InlineData("Case1.NII.GZ")]
    [InlineData("a/b/Case1.mha")]
    public void ReadableScanNamesShouldPass(string name) => BlobLayout.ValidateScanName(name);

    [Theory]
    [InlineData("Case1.mhd", ".mhd header needs its separate .raw")]
    [InlineData("Case1.png", "must end in .nii, .nii.gz or .mha")]
    [InlineData("", "must not be empty")]
    [InlineData("a//b.nii", "non-empty")]
    [InlineData("dir/", "non-empty")]
    [InlineData("../ground-truth/mask_case1.nii.gz", "has a '..' part")]
    [InlineData("site/../../leaderboard/x.nii.gz", "has a '..' part")]
    [InlineData("./Case1.nii.gz", "has a '.' part")]
    [InlineData("/Case1.nii.gz", "starts with '/'")]
    [InlineData("site\\Case1.nii.gz", "backslash")]
    [InlineData("Case\n1.nii.gz", "control character U+000A")]
    [InlineData("Case\u00071.nii.gz", "control character U+0007")]
    public void UnreadableScanNamesShouldSayWhy(string name, string expected)
    {
        var ex = Assert.Throws<PipelineException>(() => BlobLayout.ValidateScanName(name));
        Assert.Equal(PipelineErrorReason.InvalidBlobName, ex.Reason);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubmissionShouldSplitIntoTeamAndIdAndMapToScores()
    {
        var s = BlobLayout.ParseSubmission("team-a/run_1.zip");
        Assert.Equal(new SubmissionName("team-a", "run_1"), s);
        Assert.Equal("team-a/run_1.json", BlobLayout.ScoreJsonName(s));
        Assert.Equal("team-a/run_1.html", BlobLayout.ScoreHtmlName(s));
        Assert.Equal("team-a/run_1.error.json", BlobLayout.ScoreErrorName(s));
        Assert.Equal("team-a/run_1.zip", s.BlobName);
    }

    [Theory]
    [InlineData("run1.zip")]
    [InlineData("a/b/run1.zip")]
    [InlineData("team/run1.tar")]
    [InlineData("../run1.zip")]
    [InlineData("team/.zip")]
    [InlineData("te am/run1.zip")]
    [InlineData("team/<script>.zip")]
    public void SubmissionOutsideTeamSlashIdZipShouldBeRefused(string name)
    {
        var ex = Assert.Throws<PipelineException>(() => BlobLayout.ParseSubmission(name));
        Assert.Equal(PipelineErrorReason.InvalidBlobName, ex.Reason);
    }

    [Theory]
    [InlineData("masks", "site/Case1.nii.gz", "site/Case1.error.json")]
    [InlineData("masks", "Case1.preview.png", "Case1.error.json")]
    [InlineData("masks", "Case1.stats.json", "Case1.error.json")]
    [InlineData("masks", "Case1.mha", "Case1.error.json")]
    [InlineData("scores", "team-a/run1.json", "team-a/run1.error.json")]
    [InlineData("scores", "team-a/run1.html", "team-a/run1.error.json")]
    [InlineData("scans", "Case1.nii.gz", null)]
    [InlineData("ground-truth", "mask_case1.nii.gz", null)]
    public void EveryOutputShouldMapToTheErrorReportWrittenInsteadOfIt(string container, string output, string? expected)
        => Assert.Equal(expected, BlobLayout.ErrorNameFor(container, output));

    [Fact]
    public void GroundTruthShouldBeAContainerButNeverAnOutput()
    {
        Assert.Equal(["scans", "masks", "submissions", "scores", "leaderboard", "ground-truth", "scores-private"], ContainerNames.All);
        Assert.Null(BlobLayout.ErrorNameFor(ContainerNames.GroundTruth, "mask_case1.nii.gz")); // nothing is ever reported there
    }
}
