using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Nifti;

/// <summary>The upload check reads only the header from the first bytes of a (possibly huge) .nii.gz.</summary>
public sealed class NiftiHeaderOnlyTests
{
    [Fact]
    public void HeaderShouldBeReadFromTheFirstKilobytesOfAGzipFile()
    {
        var shape = new Shape3(256, 256, 12);
        var data = new float[shape.Count];
        var rng = new Random(3);
        for (var i = 0; i < data.Length; i++) data[i] = rng.NextSingle() * 2650;
        var v = new Volume(shape, new VoxelBuffer<float>(data), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4));
        using var full = new MemoryStream();
        VolumeIO.Write(v, full, "big.nii.gz");
        var prefix = full.ToArray()[..4096];

        var info = VolumeIO.ReadHeader(new MemoryStream(prefix), "big.nii.gz");
        Assert.Equal(shape, info.Shape);
        Assert.Equal(VoxelType.Float32, info.VoxelType);
        Assert.Equal(0.6, info.Geometry.SpacingX, 6);
    }

    [Fact]
    public void HeaderReadShouldNotConsumeTheVoxels()
    {
        var bytes = SampleVolumes.NiftiBytes(SampleVolumes.Int16());
        var stream = new MemoryStream(bytes);
        VolumeIO.ReadHeader(stream, "x.nii");
        Assert.True(stream.Position <= 540, $"read {stream.Position} bytes");
    }

    [Fact]
    public void HeaderReadShouldValidateLikeAFullRead()
    {
        var bytes = SampleVolumes.NiftiBytes(SampleVolumes.Int16());
        bytes[70] = 99;
        var ex = Assert.Throws<VolumeFormatException>(() => VolumeIO.ReadHeader(new MemoryStream(bytes[..400]), "x.nii"));
        Assert.Equal(VolumeErrorReason.UnsupportedDataType, ex.Reason);
    }
}
