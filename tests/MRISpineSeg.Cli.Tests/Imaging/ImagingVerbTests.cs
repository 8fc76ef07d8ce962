using System.Text.Json;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Tests.Imaging;

/// <summary>The info, convert and resample verbs: their outputs and their one-line errors.</summary>
public sealed class ImagingVerbTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spineseg-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public ImagingVerbTests()
    {
        Directory.CreateDirectory(_dir);
        var data = new short[10 * 9 * 6];
        for (var i = 0; i < data.Length; i++) data[i] = (short)(i % 300);
        var affine = Affine.FromRows(0, 0, 4.4, -20, -0.6, 0, 0, 30, 0, 0.6, 0, -10);
        VolumeIO.Write(new Volume(new Shape3(10, 9, 6), new VoxelBuffer<short>(data), new VolumeGeometry(affine, 0.6, 0.6, 4.4)), Scan);
    }

    private string Scan => Path.Combine(_dir, "Case1.nii.gz");

    private string F(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InfoJsonShouldHaveTheDocumentedKeys()
    {
        var (code, stdout, _) = CliRunner.Run("info", Scan, "--json");
        Assert.Equal(0, code);
        var doc = JsonDocument.Parse(stdout).RootElement;
        foreach (var key in new[] { "shape", "spacing", "affine", "datatype", "orientation", "qform_code", "sform_code" })
            Assert.True(doc.TryGetProperty(key, out _), key);
        Assert.Equal("PSR", doc.GetProperty("orientation").GetString());
        Assert.Equal("int16", doc.GetProperty("datatype").GetString());
        Assert.Equal(4, doc.GetProperty("affine").GetArrayLength());
        Assert.Equal(10, doc.GetProperty("shape")[0].GetInt32());
    }

    [Fact]
    public void InfoShouldPrintShapeSpacingAndOrientation()
    {
        var (code, stdout, _) = CliRunner.Run("info", Scan);
        Assert.Equal(0, code);
        Assert.Contains("10 x 9 x 6", stdout);
        Assert.Contains("0.6 x 0.6 x 4.4 mm", stdout);
        Assert.Contains("PSR", stdout);
    }

    [Theory]
    [InlineData(".mha")]
    [InlineData(".mhd")]
    [InlineData(".nii")]
    public void ConvertShouldBeLossless(string ext)
    {
        Assert.Equal(0, CliRunner.Run("convert", Scan, F("x" + ext)).Code);
        Assert.Equal(0, CliRunner.Run("convert", F("x" + ext), F("back.nii.gz")).Code);
        var a = VolumeIO.Read(Scan);
        var b = VolumeIO.Read(F("back.nii.gz"));
        Assert.Equal(a.VoxelType, b.VoxelType);
        Assert.Equal(a.Voxels.AsBytes().ToArray(), b.Voxels.AsBytes().ToArray());
        Assert.True(a.Geometry.Affine.MaxAbsDifference(b.Geometry.Affine) < 1e-5);
    }

    [Fact]
    public void ResampleOrderOneShouldWriteFloat32AtTheRequestedShape()
    {
        var (code, _, err) = CliRunner.Run("resample", Scan, F("r.nii.gz"), "--shape", "5,4,12");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        var r = VolumeIO.Read(F("r.nii.gz"));
        Assert.Equal(new Shape3(5, 4, 12), r.Shape);
        Assert.Equal(VoxelType.Float32, r.VoxelType);
    }

    [Fact]
    public void ResampleOrderZeroShouldKeepTheInputType()
    {
        Assert.Equal(0, CliRunner.Run("resample", Scan, F("r0.nii"), "--shape", "5,4,3", "--order", "0").Code);
        Assert.Equal(VoxelType.Int16, VolumeIO.Read(F("r0.nii")).VoxelType);
    }

    [Theory]
    [InlineData("info", "missing.nii.gz")]
    [InlineData("convert", "missing.nii.gz", "out.nii")]
    [InlineData("resample", "SCAN", "out.nii", "--shape", "0,4,3")]
    [InlineData("resample", "SCAN", "out.nii", "--shape", "5,4")]
    [InlineData("resample", "SCAN", "out.nii", "--shape", "5,4,3", "--order", "3")]
    [InlineData("convert", "SCAN", "out.png")]
    [InlineData("resample", "SCAN", "out.nii", "--order", "abc", "--shape", "5,4,3")]
    [InlineData("info")]
    [InlineData("frobnicate")]
    public void BadInputShouldExitNonZeroWithOneStderrLine(params string[] args)
    {
        var resolved = args.Select(a => a == "SCAN" ? Scan : a == "missing.nii.gz" ? F(a) : a.StartsWith("out", StringComparison.Ordinal) ? F(a) : a).ToArray();
        var (code, _, err) = CliRunner.Run(resolved);
        Assert.NotEqual(0, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("spineseg: ", lines[0]);
    }

    [Fact]
    public void CorruptFileShouldNameTheFileAndField()
    {
        File.WriteAllBytes(F("bad.nii"), new byte[100]);
        var (code, _, err) = CliRunner.Run("info", F("bad.nii"));
        Assert.Equal(1, code);
        Assert.Contains("bad.nii", err);
        Assert.Contains("sizeof_hdr", err);
    }
}
