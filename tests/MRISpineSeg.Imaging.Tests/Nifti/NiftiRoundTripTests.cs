using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Nifti;

/// <summary>Read → write → read keeps every geometry field and every voxel.</summary>
public sealed class NiftiRoundTripTests
{
    [Theory]
    [InlineData("qform_psr_qfac_neg.nii.gz", ".nii.gz")]
    [InlineData("sform_only.nii.gz", ".nii")]
    [InlineData("both_disagree.nii.gz", ".nii.gz")]
    [InlineData("bigendian_int16_scaled.nii", ".nii.gz")]
    [InlineData("with_extension.nii", ".nii")]
    [InlineData("nifti2_float32.nii.gz", ".nii.gz")]
    [InlineData("pixdim_only.nii.gz", ".nii")]
    public void RoundTripShouldKeepHeaderAndVoxels(string file, string ext)
    {
        using var tmp = new TempDir();
        var first = VolumeIO.Read(Goldens.PathOf(file));
        var path = tmp.File("copy" + ext);
        VolumeIO.Write(first, path);
        var second = VolumeIO.Read(path);

        var a = first.NiftiHeader!;
        var b = second.NiftiHeader!;
        Assert.Equal(a.Version, b.Version);
        Assert.True(NiftiGrid.SameGrid(a, b, out var difference), difference);
        Assert.Equal(a.DataType, b.DataType);
        Assert.Equal(a.Descrip, b.Descrip);
        Assert.Equal(a.Extensions.Count, b.Extensions.Count);
        Assert.Equal(first.Scaling, second.Scaling);
        Assert.Equal(first.Geometry.Affine, second.Geometry.Affine);
        Assert.Equal(first.Voxels.AsBytes().ToArray(), second.Voxels.AsBytes().ToArray());
        Assert.False(b.WasBigEndian);
    }

    [Fact]
    public void SameGridShouldNameTheFirstDifferingField()
    {
        var h = VolumeIO.Read(Goldens.PathOf("qform_psr_qfac_neg.nii.gz")).NiftiHeader!;
        Assert.True(NiftiGrid.SameGrid(h, h with { Descrip = "other" }, out _));
        Assert.False(NiftiGrid.SameGrid(h, h with { SformCode = 2 }, out var d1));
        Assert.Contains("sform_code", d1);
        Assert.False(NiftiGrid.SameGrid(h, h with { Pixdim = [1, 1, 1, 1, 0, 0, 0, 0] }, out var d2));
        Assert.Contains("pixdim", d2);
    }

    [Fact]
    public void MaskForAScanShouldCarryTheScansGridAsUint8WithUnitScaling()
    {
        using var tmp = new TempDir();
        var scan = VolumeIO.Read(Goldens.PathOf("bigendian_int16_scaled.nii"));
        var labels = new byte[scan.Shape.Count];
        labels[3] = 7;
        VolumeIO.Write(scan.CreateMask(labels), tmp.File("mask.nii.gz"));
        var mask = VolumeIO.Read(tmp.File("mask.nii.gz"));
        var h = mask.NiftiHeader!;
        Assert.Equal(VoxelType.UInt8, mask.VoxelType);
        Assert.Equal(NiftiDataType.UInt8, h.DataType);
        Assert.Equal(8, h.BitPix);
        Assert.Equal(1.0, h.SclSlope);
        Assert.Equal(0.0, h.SclInter);
        Assert.Equal(scan.NiftiHeader!.Dim, h.Dim);
        Assert.Equal(scan.NiftiHeader.Pixdim, h.Pixdim);
        Assert.Equal(scan.NiftiHeader.SrowX, h.SrowX);
        Assert.Equal((scan.NiftiHeader.QformCode, scan.NiftiHeader.SformCode), (h.QformCode, h.SformCode));
        Assert.Equal(scan.NiftiHeader.XyztUnits, h.XyztUnits);
        Assert.Equal(scan.Geometry.Affine, mask.Geometry.Affine);
        Assert.Equal(7, mask.Voxels.As<byte>().Data[3]);
    }

    [Fact]
    public void VolumeWithoutHeaderShouldBeWrittenWithMatchingQformAndSform()
    {
        using var tmp = new TempDir();
        var v = SampleVolumes.Int16();
        VolumeIO.Write(v, tmp.File("fresh.nii.gz"));
        var back = VolumeIO.Read(tmp.File("fresh.nii.gz"));
        Assert.Equal(1, back.NiftiHeader!.SformCode);
        Assert.Equal(1, back.NiftiHeader.QformCode);
        Assert.True(NiftiGeometry.QformAffine(back.NiftiHeader).MaxAbsDifference(v.Geometry.Affine) < 1e-5);
        Assert.Equal(-1.0, back.NiftiHeader.Pixdim[0]);
        Assert.Equal("PSR", back.Geometry.Orientation);
    }
}
