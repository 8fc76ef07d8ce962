using System.Text;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.MetaImage;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.MetaImage;

/// <summary>MetaImage (.mha, .mhd + raw) with the LPS ↔ RAS conversion.</summary>
public sealed class MetaImageTests
{
    [Theory]
    [InlineData("qform_psr_qfac_neg.nii.gz", ".mha")]
    [InlineData("sform_only.nii.gz", ".mhd")]
    [InlineData("las_uint8.nii.gz", ".mha")]
    [InlineData("float64.nii.gz", ".mhd")]
    public void NiftiToMetaImageAndBackShouldKeepVoxelsAndWorldGeometry(string file, string ext)
    {
        using var tmp = new TempDir();
        var nifti = VolumeIO.Read(Goldens.PathOf(file));
        VolumeIO.Write(nifti, tmp.File("a" + ext));
        var meta = VolumeIO.Read(tmp.File("a" + ext));
        Assert.Equal(nifti.Shape, meta.Shape);
        Assert.Equal(nifti.VoxelType, meta.VoxelType);
        Assert.Equal(nifti.Voxels.AsBytes().ToArray(), meta.Voxels.AsBytes().ToArray());
        Assert.True(nifti.Geometry.Affine.MaxAbsDifference(meta.Geometry.Affine) < 1e-9);
        Assert.Equal(nifti.Geometry.Orientation, meta.Geometry.Orientation);

        VolumeIO.Write(meta, tmp.File("b.nii.gz"));
        var back = VolumeIO.Read(tmp.File("b.nii.gz"));
        Assert.True(nifti.Geometry.Affine.MaxAbsDifference(back.Geometry.Affine) < 1e-5);
        Assert.Equal(nifti.Voxels.AsBytes().ToArray(), back.Voxels.AsBytes().ToArray());
    }

    [Fact]
    public void MetaImageHeaderShouldBeInLpsAsItkWritesIt()
    {
        using var tmp = new TempDir();
        var affine = Affine.FromRows(2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30);
        var v = new Volume(new Shape3(2, 2, 2), new VoxelBuffer<short>(new short[8]), new VolumeGeometry(affine, 2, 3, 4));
        VolumeIO.Write(v, tmp.File("x.mhd"));
        var header = File.ReadAllText(tmp.File("x.mhd"));
        Assert.Contains("Offset = -10 -20 30", header);
        Assert.Contains("TransformMatrix = -1 0 0 0 -1 0 0 0 1", header);
        Assert.Contains("ElementSpacing = 2 3 4", header);
        Assert.Contains("ElementDataFile = x.raw", header);
        Assert.True(File.Exists(tmp.File("x.raw")));
    }

    [Fact]
    public void TransformMatrixShouldListEachAxisDirectionInTurn()
    {
        // Axis 0 runs along LPS +y (posterior), axis 1 along LPS +z (superior), axis 2 along LPS -x (right): PSR.
        var mha = "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n" +
                  "TransformMatrix = 0 1 0 0 0 1 -1 0 0\nOffset = 1 2 3\nElementSpacing = 0.5 0.5 4\nDimSize = 2 2 2\n" +
                  "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n";
        var bytes = Encoding.ASCII.GetBytes(mha).Concat(new byte[8]).ToArray();
        var v = VolumeIO.Read(new MemoryStream(bytes), "x.mha");
        Assert.Equal("PSR", v.Geometry.Orientation);
        Assert.Equal((-1.0, -2.0, 3.0), v.Geometry.Origin);
    }

    [Fact]
    public void ScaledVolumeShouldNotBeSilentlyWrittenAsMetaImage()
    {
        using var tmp = new TempDir();
        var scaled = VolumeIO.Read(Goldens.PathOf("bigendian_int16_scaled.nii"));
        var ex = Assert.Throws<VolumeFormatException>(() => VolumeIO.Write(scaled, tmp.File("x.mha")));
        Assert.Contains("MetaImage cannot store", ex.Message);
    }

    [Theory]
    [InlineData("", VolumeErrorReason.EmptyFile)]
    [InlineData("ObjectType = Image\nNDims = 3\n", VolumeErrorReason.TruncatedHeader)]
    [InlineData("NDims = 3\nDimSize = 2 2 2\nElementType = MET_LONG_LONG\nElementDataFile = LOCAL\n", VolumeErrorReason.UnsupportedDataType)]
    [InlineData("NDims = 4\nDimSize = 2 2 2 3\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", VolumeErrorReason.UnsupportedDimensions)]
    [InlineData("NDims = 3\nDimSize = 2 0 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", VolumeErrorReason.InvalidHeader)]
    [InlineData("NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n\u0001\u0002", VolumeErrorReason.TruncatedData)]
    [InlineData("NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = ../../etc/passwd\n", VolumeErrorReason.UnsupportedFeature)]
    [InlineData("this is not a header at all\n", VolumeErrorReason.InvalidHeader)]
    public void BadMetaImageShouldBeRefusedWithTheReason(string text, VolumeErrorReason reason)
    {
        var ex = Assert.Throws<VolumeFormatException>(() => VolumeIO.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)), "bad.mha"));
        Assert.Equal(reason, ex.Reason);
        Assert.Contains("bad.mha", ex.Message);
    }

    [Fact]
    public void BinaryGarbageShouldBeRefusedQuicklyAsNotText()
    {
        var bytes = new byte[1 << 20];
        new Random(1).NextBytes(bytes);
        var ex = Assert.Throws<VolumeFormatException>(() => VolumeIO.Read(new MemoryStream(bytes), "noise.mha"));
        Assert.True(ex.Reason is VolumeErrorReason.UnknownFormat or VolumeErrorReason.InvalidHeader);
    }

    [Fact]
    public void MissingRawFileShouldBeAnIoErrorNamingIt()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("a.mhd"), "NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = a.raw\n");
        var ex = Assert.Throws<FileNotFoundException>(() => VolumeIO.Read(tmp.File("a.mhd")));
        Assert.Contains("a.raw", ex.Message);
    }
}
