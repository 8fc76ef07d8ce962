using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Tests.Support;

namespace MRISpineSeg.Scoring.Tests.Inputs;

public sealed class MaskReaderTests
{
    private static readonly Shape3 Odd = new(37, 11, 3); // not a multiple of 32 voxels: vector and scalar tails both run

    [Theory]
    [InlineData("m.nii.gz", VoxelType.UInt8)]
    [InlineData("m.nii", VoxelType.UInt8)]
    [InlineData("m.nii.gz", VoxelType.Float32)]
    [InlineData("m.nii", VoxelType.Float32)]
    [InlineData("m.nii.gz", VoxelType.Int16)]
    [InlineData("m.mha", VoxelType.Float32)]
    public void FastAndFallbackPathsShouldDecodeLikeVolumeIo(string name, VoxelType stored)
    {
        using var tmp = new TempDir();
        var labels = Masks.Boxes(9, Odd, 1, 5, 19, 12);
        VoxelBuffer buffer = stored switch
        {
            VoxelType.UInt8 => new VoxelBuffer<byte>(labels),
            VoxelType.Float32 => new VoxelBuffer<float>(labels.Select(b => (float)b).ToArray()),
            _ => new VoxelBuffer<short>(labels.Select(b => (short)b).ToArray()),
        };
        var path = tmp.File(name);
        VolumeIO.Write(new Volume(Odd, buffer, Masks.Grid(0.59, 0.59, 4.4, 3)), path);
        var expected = VolumeIO.Read(path, new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        var reader = new MaskReader();
        reader.Read(Masks.Write(tmp.Path, "bigger.nii.gz", new byte[Masks.Small.Count]));
        var mask = reader.Read(path);
        Assert.Equal(Odd, mask.Shape);
        Assert.Equal(expected.Voxels.As<byte>().Data, mask.Labels.ToArray());
        Assert.True(expected.Geometry.Matches(mask.Geometry, 0, out _));
    }

    [Theory]
    [InlineData(2.5f)]
    [InlineData(-1f)]
    [InlineData(256f)]
    [InlineData(float.NaN)]
    public void ABadFloatShouldBeValueNotRepresentableWhereverItSits(float bad)
    {
        foreach (var at in new[] { 0, 40, Odd.Count - 1 })
        {
            using var tmp = new TempDir();
            var values = Masks.Boxes(2, Odd).Select(b => (float)b).ToArray();
            values[at] = bad;
            var path = Masks.WriteFloat(tmp.Path, "m.nii.gz", values, Odd);
            var ex = Assert.Throws<VolumeFormatException>(() => new MaskReader().Read(path));
            Assert.Equal(VolumeErrorReason.ValueNotRepresentable, ex.Reason);
            Assert.Contains($"voxel {at} ", ex.Message);
        }
    }

    [Fact]
    public void ATruncatedFileShouldBeRefused()
    {
        using var tmp = new TempDir();
        var path = Masks.Write(tmp.Path, "m.nii", Masks.Boxes(1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        Assert.Equal(VolumeErrorReason.TruncatedData, Assert.Throws<VolumeFormatException>(() => new MaskReader().Read(path)).Reason);
    }

    [Fact]
    public void DataBeyondTheHeaderShouldBeRefused()
    {
        using var tmp = new TempDir();
        var path = Masks.Write(tmp.Path, "m.nii", Masks.Boxes(1));
        File.AppendAllText(path, "extra");
        Assert.Equal(VolumeErrorReason.TrailingData, Assert.Throws<VolumeFormatException>(() => new MaskReader().Read(path)).Reason);
    }
}
