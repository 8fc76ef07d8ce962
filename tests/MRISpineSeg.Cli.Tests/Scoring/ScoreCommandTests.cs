using System.IO.Compression;
using System.Text.Json;

namespace MRISpineSeg.Cli.Tests.Scoring;

public sealed class ScoreCommandTests
{
    [Fact]
    public void ScoreShouldPrintTheHeadlineAndWriteEveryReport()
    {
        using var f = new ScoringCliFixture();
        var (code, stdout, stderr) = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred,
            "--out", f.File("metrics.json"), "--csv", f.File("m.csv"), "--html", f.File("r.html"), "--surface");
        Assert.True(code == 0, stderr);
        Assert.Contains("scored 3 case(s)", stdout);
        Assert.Contains("challenge", stdout);
        Assert.Contains("paddleseg16", stdout);
        Assert.Contains("mean HD95", stdout);
        Assert.Equal(string.Empty, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(f.File("metrics.json")));
        var mean = doc.RootElement.GetProperty("aggregates").GetProperty("challenge").GetProperty("mean").GetDouble();
        Assert.InRange(mean, 0.3, 0.99);
        Assert.Contains(mean.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), stdout);
        Assert.Equal(1 + (3 * 20), File.ReadAllLines(f.File("m.csv")).Length);
        Assert.Contains("<svg", File.ReadAllText(f.File("r.html")));
    }

    [Fact]
    public void ZippedPredictionsInsideOneFolderShouldScoreTheSameAsTheFolder()
    {
        using var f = new ScoringCliFixture();
        var zip = f.File("preds.zip");
        using (var z = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.GetFiles(f.Pred)) z.CreateEntryFromFile(file, "team-x/" + Path.GetFileName(file));
        }

        var a = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred);
        var b = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", zip);
        Assert.Equal(0, b.Code);
        Assert.Equal(a.Out, b.Out);
    }

    [Fact]
    public void AMissingPredictionShouldExitNonZeroWithOneLineNamingTheCase()
    {
        using var f = new ScoringCliFixture();
        File.Delete(Path.Combine(f.Pred, "Case2.nii.gz"));
        var (code, stdout, stderr) = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred, "--out", f.File("m.json"));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("Case2", stderr);
        Assert.False(File.Exists(f.File("m.json")));
    }

    [Fact]
    public void AGeometryMismatchShouldFailUnlessIgnored()
    {
        using var f = new ScoringCliFixture();
        ScoringCliFixture.Write(Path.Combine(f.Pred, "Case1.nii.gz"), ScoringCliFixture.Labels(1, 1), MRISpineSeg.Imaging.Geometry.VolumeGeometry.FromSpacing(0.6, 0.6, 4.4, ox: 2));
        var strict = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred);
        Assert.Equal(1, strict.Code);
        Assert.Contains("--ignore-geometry", strict.Err);
        var waived = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", f.Pred, "--ignore-geometry");
        Assert.Equal(0, waived.Code);
        Assert.Contains("geometry check waived", waived.Out);
    }

    [Fact]
    public void AHostileZipShouldBeRefusedWithTheLimitNamed()
    {
        using var f = new ScoringCliFixture();
        var zip = f.File("evil.zip");
        using (var z = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var s = z.CreateEntry("../../Case1.nii.gz").Open();
            s.Write([1, 2, 3]);
        }

        var (code, _, stderr) = ScoringCliFixture.Run("score", "--truth", f.Truth, "--pred", zip);
        Assert.Equal(1, code);
        Assert.Contains("points outside the archive", stderr);
    }

    [Fact]
    public void MissingRequiredFlagsShouldBeAUsageError()
    {
        var (code, _, stderr) = ScoringCliFixture.Run("score", "--truth", "/tmp");
        Assert.Equal(2, code);
        Assert.Contains("--pred", stderr);
    }
}
