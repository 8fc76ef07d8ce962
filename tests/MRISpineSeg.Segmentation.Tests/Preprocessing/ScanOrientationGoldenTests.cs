using System.Text.Json;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Segmentation.Tests.EndToEnd;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Preprocessing;

/// <summary>
/// One scan, stored by nibabel in eight axis orders and two oblique grids (Goldens/orientation/make_orientation_goldens.py):
/// the product picks nibabel's transform, and every copy gives the PSR original's mask voxel for voxel.
/// </summary>
public sealed class ScanOrientationGoldenTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    private static readonly string[] Orders = ["RAS.nii.gz", "LAS.nii.gz", "SPR.nii.gz", "IPL.nii.gz", "ASL.nii.gz", "PIR.nii.gz", "RPI.nii.gz", "LIA.nii.gz"];

    public static TheoryData<string> StoredOrders => new(Orders);

    public static TheoryData<string> AllFiles
    {
        get
        {
            var d = new TheoryData<string> { "psr.nii.gz", "oblique.nii.gz", "oblique_ras.nii.gz" };
            foreach (var f in Orders) d.Add(f);
            return d;
        }
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void TheTransformShouldBeNibabelsIoOrientationThenOrntTransformToPsr(string file)
    {
        var golden = Goldens()[file];
        var scan = Read(file);

        var orientation = ScanOrientation.Of(scan.Geometry, scan.NiftiHeader, file);
        var toPsr = AxisReorientation.Between(orientation, AxisOrientation.TryParse("PSR", out _)!);

        Assert.Equal(golden.GetProperty("axcodes").GetString(), orientation.Code);
        Assert.Equal(golden.GetProperty("axcodes").GetString(), scan.Geometry.Orientation);
        // nibabel: row i = [output axis of input axis i, +1 or -1].
        foreach (var (row, i) in golden.GetProperty("to_psr").EnumerateArray().Select((r, i) => (r, i)))
        {
            var outAxis = row[0].GetInt32();
            Assert.Equal(i, toPsr.SourceAxis(outAxis));
            Assert.Equal(row[1].GetInt32() == -1, toPsr.IsFlipped(outAxis));
        }
    }

    [Theory]
    [MemberData(nameof(StoredOrders))]
    public void ReorientingToPsrShouldGiveThePsrOriginalsVoxelsAndAffine(string file)
    {
        var psr = Read("psr.nii.gz");
        var scan = Read(file);
        var toPsr = ScanOrientation.ToPreviewFrame(ScanOrientation.Of(scan.Geometry, scan.NiftiHeader, file));

        Assert.Equal(psr.Shape, toPsr.Apply(scan.Shape));
        Assert.Equal(psr.Voxels.As<float>().Data, toPsr.Apply(scan.Voxels.As<float>().Data, scan.Shape));
        Assert.True(psr.Geometry.Affine.MaxAbsDifference(toPsr.Apply(scan.Geometry.Affine, scan.Shape)) < 1e-4);
        var back = toPsr.Inverse().Apply(toPsr.Apply(scan.Voxels.As<float>().Data, scan.Shape), psr.Shape);
        Assert.Equal(scan.Voxels.As<float>().Data, back);
    }

    [Theory]
    [MemberData(nameof(StoredOrders))]
    public async Task EveryStorageOrderShouldGiveThePsrOriginalsMaskOnceMappedBack(string file)
    {
        var segmenter = new Segmenter(model.Network);
        var original = await segmenter.SegmentFileAsync(Golden.Path("orientation/psr.nii.gz"));
        var result = await segmenter.SegmentFileAsync(Golden.Path("orientation/" + file));

        var scan = Read(file);
        Assert.Equal(scan.Shape, result.Mask.Shape); // the mask is on the scan's own grid and header
        Assert.Equal(scan.Geometry.Affine, result.Mask.Geometry.Affine);
        var toPsr = ScanOrientation.ToPreviewFrame(ScanOrientation.Of(scan.Geometry, scan.NiftiHeader, file));
        var mapped = toPsr.Apply(result.Mask.Voxels.As<byte>().Data, scan.Shape);
        var expected = original.Mask.Voxels.As<byte>().Data;
        Assert.True(expected.Distinct().Count() > 1, "the PSR mask must hold more than one label for this test to mean anything");
        Assert.Equal(expected, mapped);
        Assert.Equal(file[..3], result.Stats.Orientation);
        Assert.Equal("PSR", result.Stats.ModelOrientation);
        Assert.StartsWith($"{file[..3]}→PSR: axes", result.Stats.Reorientation);
        Assert.Equal(Outputs.ResultOutputs.RenderPreview(original, new() { Caption = "X" }), Outputs.ResultOutputs.RenderPreview(result, new() { Caption = "X" }));
    }

    [Fact]
    public async Task AnObliqueScanShouldBeSegmentedOnItsClosestAxes()
    {
        var segmenter = new Segmenter(model.Network);
        var original = await segmenter.SegmentFileAsync(Golden.Path("orientation/psr.nii.gz"));
        var oblique = await segmenter.SegmentFileAsync(Golden.Path("orientation/oblique.nii.gz"));

        // Same voxels, a rotated affine whose closest axes are still PSR: the same labels, no transform.
        Assert.Equal("PSR", oblique.Stats.Orientation);
        Assert.Equal("PSR→PSR: none", oblique.Stats.Reorientation);
        Assert.Equal(original.Mask.Voxels.As<byte>().Data, oblique.Mask.Voxels.As<byte>().Data);

        var ras = await segmenter.SegmentFileAsync(Golden.Path("orientation/oblique_ras.nii.gz"));
        Assert.Equal("RAS", ras.Stats.Orientation);
        Assert.Equal(Read("oblique_ras.nii.gz").Shape, ras.Mask.Shape);
    }

    [Theory]
    [InlineData("degenerate_zero_axis.nii.gz", "zero length")]
    [InlineData("degenerate_collinear.nii.gz", "collinear")]
    [InlineData("degenerate_nan.nii.gz", "finite")]
    public async Task ADegenerateAffineShouldBeRefusedNamingTheField(string file, string problem)
    {
        var segmenter = new Segmenter(model.Network);
        var ex = await Assert.ThrowsAsync<VolumeFormatException>(() => segmenter.SegmentFileAsync(Golden.Path("orientation/" + file)));
        Assert.Equal(VolumeErrorReason.InvalidHeader, ex.Reason);
        Assert.Contains("sform (srow_x, srow_y, srow_z)", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Contains(file, ex.Message);
    }

    [Theory]
    [InlineData("PS", "not 3 letters")]
    [InlineData("PSX", "'X' is not one of")]
    [InlineData("PSP", "twice")]
    public void BadAxisCodesShouldBeRefusedSayingWhatIsValid(string code, string problem)
    {
        Assert.Null(AxisOrientation.TryParse(code, out var message));
        Assert.Contains(problem, message);
    }

    private static Volume Read(string file)
        => VolumeIO.Read(Golden.Path("orientation/" + file), new VolumeReadOptions { ElementType = VoxelType.Float32 });

    private static Dictionary<string, JsonElement> Goldens()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Golden.Path("orientation/orientation_goldens.json")));
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
