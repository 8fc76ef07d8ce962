using System.Text.Json;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Nifti;

/// <summary>Every golden file is read as nibabel reads it: shape, zooms, best affine, axis codes, codes, dtype, fdata.</summary>
public sealed class NiftiReaderGoldenTests
{
    public static TheoryData<string> Cases => new()
    {
        "qform_psr_qfac_neg",
        "sform_only",
        "both_disagree",
        "bigendian_int16_scaled",
        "uint16",
        "float64",
        "with_extension",
        "las_uint8",
        "pixdim_only",
        "nifti2_float32",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReaderShouldMatchNibabelGeometry(string name)
    {
        var expected = Goldens.Json(name);
        var volume = VolumeIO.Read(Goldens.PathOf(expected.GetProperty("file").GetString()!));

        Assert.Equal(Ints(expected.GetProperty("shape")), new[] { volume.Shape.X, volume.Shape.Y, volume.Shape.Z });
        var zooms = Doubles(expected.GetProperty("zooms"));
        Assert.Equal(zooms[0], volume.Geometry.SpacingX, 6);
        Assert.Equal(zooms[1], volume.Geometry.SpacingY, 6);
        Assert.Equal(zooms[2], volume.Geometry.SpacingZ, 6);
        var affine = expected.GetProperty("affine");
        for (var i = 0; i < 4; i++)
        {
            var row = Doubles(affine[i]);
            for (var j = 0; j < 4; j++)
                Assert.True(Math.Abs(row[j] - volume.Geometry.Affine[i, j]) < 1e-5, $"{name}: affine[{i},{j}] = {volume.Geometry.Affine[i, j]}, nibabel {row[j]}");
        }

        Assert.Equal(expected.GetProperty("axcodes").GetString(), volume.Geometry.Orientation);
        Assert.Equal(expected.GetProperty("qform_code").GetInt32(), volume.NiftiHeader!.QformCode);
        Assert.Equal(expected.GetProperty("sform_code").GetInt32(), volume.NiftiHeader.SformCode);
        Assert.Equal(expected.GetProperty("datatype").GetString(), VoxelTypes.Name(volume.VoxelType));
        Assert.Equal(expected.GetProperty("slope").GetDouble(), volume.Scaling.Slope, 7);
        Assert.Equal(expected.GetProperty("inter").GetDouble(), volume.Scaling.Intercept, 7);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReaderShouldGiveNibabelFdataBitForBit(string name)
    {
        var expected = Goldens.Json(name);
        var volume = VolumeIO.Read(Goldens.PathOf(expected.GetProperty("file").GetString()!), new VolumeReadOptions { ElementType = VoxelType.Float32 });
        var want = Goldens.Floats(expected.GetProperty("fdata").GetString()!);
        var got = volume.Voxels.As<float>().Data;
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(want[i]) != BitConverter.SingleToInt32Bits(got[i]))
                Assert.Fail($"{name}: voxel {i} is {got[i]:R}, nibabel get_fdata gives {want[i]:R}");
        }

        Assert.True(volume.Scaling.IsIdentity);
    }

    [Fact]
    public void ReaderShouldApplySlopeAndInterceptOnlyWhenAsked()
    {
        var path = Goldens.PathOf("bigendian_int16_scaled.nii");
        var raw = VolumeIO.Read(path);
        var real = VolumeIO.Read(path, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        Assert.Equal(VoxelType.Int16, raw.VoxelType);
        Assert.True(raw.NiftiHeader!.WasBigEndian);
        Assert.Equal(0.37f, (float)raw.Scaling.Slope);
        var stored = raw.Voxels.As<short>().Data[5];
        Assert.Equal((stored * 0.37f) + -12.5f, real.Voxels.As<float>().Data[5]);
    }

    [Fact]
    public void ReaderShouldSkipExtensionsAndKeepThem()
    {
        var expected = Goldens.Json("with_extension");
        var volume = VolumeIO.Read(Goldens.PathOf("with_extension.nii"));
        Assert.Equal(expected.GetProperty("vox_offset").GetInt64(), volume.NiftiHeader!.VoxOffset);
        var ext = Assert.Single(volume.NiftiHeader.Extensions);
        Assert.Equal(6, ext.Code);
        Assert.Contains("MRISpineSeg golden", System.Text.Encoding.ASCII.GetString(ext.Data));
    }

    [Fact]
    public void SformShouldWinOverADisagreeingQform()
    {
        var volume = VolumeIO.Read(Goldens.PathOf("both_disagree.nii.gz"));
        Assert.Equal("LAS", volume.Geometry.Orientation);
        Assert.Equal("sform", Imaging.Nifti.NiftiGeometry.BestAffineSource(volume.NiftiHeader!));
        Assert.Equal("PSR", Geometry.OrientationCode.FromAffine(Imaging.Nifti.NiftiGeometry.QformAffine(volume.NiftiHeader!)));
    }

    [Fact]
    public void LabelMaskShouldDecodeStraightToBytes()
    {
        var volume = VolumeIO.Read(Goldens.PathOf("las_uint8.nii.gz"), new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        var want = Goldens.Floats("las_uint8.f32");
        var got = volume.Voxels.As<byte>().Data;
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i]);
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
