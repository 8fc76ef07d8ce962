using MRISpineSeg.Imaging;

namespace MRISpineSeg.Cli.Tests.Commands;

/// <summary>The seed chooses the anatomy, <c>--first-case</c> the file names.</summary>
public sealed class PhantomCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("phantom-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CasesShouldBeNumberedFromOneWhateverTheSeed()
    {
        var (code, stdout, _) = SegmentCommandTests.Run("phantom", "--out", _dir, "--seed", "3", "--count", "2", "--shape", "24,24,6");

        Assert.Equal(0, code);
        Assert.Equal(["Case1.nii.gz", "Case2.nii.gz", "mask_case1.nii.gz", "mask_case2.nii.gz"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("(seed 3,", stdout);
        Assert.Contains("(seed 4,", stdout);
    }

    [Fact]
    public void FirstCaseShouldNameTheFilesAndTheSeedAloneShouldChooseTheAnatomy()
    {
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        Assert.Equal(0, SegmentCommandTests.Run("phantom", "--out", a, "--seed", "7", "--first-case", "40", "--shape", "24,24,6").Code);
        Assert.Equal(0, SegmentCommandTests.Run("phantom", "--out", b, "--seed", "7", "--shape", "24,24,6").Code);

        Assert.True(File.Exists(Path.Combine(a, "Case40.nii.gz")));
        Assert.Equal(
            VolumeIO.Read(Path.Combine(b, "mask_case1.nii.gz")).Voxels.As<byte>().Data.ToArray(),
            VolumeIO.Read(Path.Combine(a, "mask_case40.nii.gz")).Voxels.As<byte>().Data.ToArray());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("999999")]
    public void AFirstCaseOutOfRangeShouldBeRefusedNamingTheRange(string value)
    {
        var (code, _, stderr) = SegmentCommandTests.Run("phantom", "--out", _dir, "--first-case", value);

        Assert.Equal(1, code);
        Assert.Contains($"--first-case: {value} is out of range; use 0..", stderr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void HelpShouldSayThatTheSeedDoesNotNameTheFiles()
    {
        var (_, stdout, _) = SegmentCommandTests.Run("phantom", "--help");

        Assert.Contains("--first-case", stdout);
        Assert.Contains("It does not name the files", stdout);
    }
}
