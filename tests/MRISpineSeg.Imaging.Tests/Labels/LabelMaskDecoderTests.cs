using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Labels;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Labels;

/// <summary>The reused-buffer label decoder scoring reads masks with: both paths decode like <see cref="VolumeIO"/>, and every bad file is refused by reason.</summary>
public sealed class LabelMaskDecoderTests
{
    private static readonly Shape3 Small = new(16, 12, 4);

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
        var labels = Boxes(9, Odd, 1, 5, 19, 12);
        VoxelBuffer buffer = stored switch
        {
            VoxelType.UInt8 => new VoxelBuffer<byte>(labels),
            VoxelType.Float32 => new VoxelBuffer<float>(labels.Select(b => (float)b).ToArray()),
            _ => new VoxelBuffer<short>(labels.Select(b => (short)b).ToArray()),
        };
        var path = tmp.File(name);
        VolumeIO.Write(new Volume(Odd, buffer, Grid(0.59, 0.59, 4.4, 3)), path);
        var expected = VolumeIO.Read(path, new VolumeReadOptions { ElementType = VoxelType.UInt8 });
        var reader = new LabelMaskDecoder();
        reader.Read(Write(tmp.Path, "bigger.nii.gz", new byte[Small.Count]));
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
            var values = Boxes(2, Odd).Select(b => (float)b).ToArray();
            values[at] = bad;
            var path = WriteFloat(tmp.Path, "m.nii.gz", values, Odd);
            var ex = Assert.Throws<VolumeFormatException>(() => new LabelMaskDecoder().Read(path));
            Assert.Equal(VolumeErrorReason.ValueNotRepresentable, ex.Reason);
            Assert.Contains($"voxel {at} ", ex.Message);
        }
    }

    [Fact]
    public void ATruncatedFileShouldBeRefused()
    {
        using var tmp = new TempDir();
        var path = Write(tmp.Path, "m.nii", Boxes(1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        Assert.Equal(VolumeErrorReason.TruncatedData, Assert.Throws<VolumeFormatException>(() => new LabelMaskDecoder().Read(path)).Reason);
    }

    [Fact]
    public void DataBeyondTheHeaderShouldBeRefused()
    {
        using var tmp = new TempDir();
        var path = Write(tmp.Path, "m.nii", Boxes(1));
        File.AppendAllText(path, "extra");
        Assert.Equal(VolumeErrorReason.TrailingData, Assert.Throws<VolumeFormatException>(() => new LabelMaskDecoder().Read(path)).Reason);
    }

    [Fact]
    public void ADecodedMaskShouldBeReusedAndOnlyAsLongAsItsShape()
    {
        using var tmp = new TempDir();
        var decoder = new LabelMaskDecoder();
        var big = decoder.Read(Write(tmp.Path, "big.nii.gz", Boxes(3, Odd), Odd));
        var small = decoder.Read(Write(tmp.Path, "small.nii.gz", Boxes(4)));

        Assert.Same(big.Labels.Array, small.Labels.Array);
        Assert.Equal(Small.Count, small.Labels.Count);
        Assert.Equal(Boxes(4), small.Labels.ToArray());
    }

    [Fact]
    public void UncompressedSizeShouldCountTheRaisedVoxOffsetAndTheStoredVoxelSize()
    {
        using var tmp = new TempDir();
        var path = WriteFloat(tmp.Path, "m.nii", new float[Small.Count]);
        using var fs = File.OpenRead(path);

        Assert.Equal(new FileInfo(path).Length, VolumeIO.ReadHeader(fs, path).UncompressedNiftiBytes);
    }

    private static VolumeGeometry Grid(double sx = 0.6, double sy = 0.6, double sz = 4.4, double ox = 0) => VolumeGeometry.FromSpacing(sx, sy, sz, ox);

    private static string Write(string dir, string name, byte[] labels, Shape3? shape = null)
    {
        var path = Path.Combine(dir, name);
        VolumeIO.Write(new Volume(shape ?? Small, new VoxelBuffer<byte>(labels), Grid()), path);
        return path;
    }

    private static string WriteFloat(string dir, string name, float[] values, Shape3? shape = null)
    {
        var path = Path.Combine(dir, name);
        VolumeIO.Write(new Volume(shape ?? Small, new VoxelBuffer<float>(values), Grid()), path);
        return path;
    }

    /// <summary>A mask with a few structures as boxes; <paramref name="seed"/> moves them.</summary>
    private static byte[] Boxes(int seed, Shape3? shape = null, params int[] labels)
    {
        var s = shape ?? Small;
        var m = new byte[s.Count];
        var rng = new Random(seed);
        foreach (var c in labels.Length == 0 ? [1, 2, 11, 12] : labels)
        {
            int x0 = rng.Next(0, s.X - 4), y0 = rng.Next(0, s.Y - 3), z0 = rng.Next(0, s.Z - 1);
            for (var z = z0; z < z0 + 2; z++)
            {
                for (var y = y0; y < y0 + 3; y++)
                {
                    for (var x = x0; x < x0 + 4; x++) m[s.Index(x, y, z)] = (byte)c;
                }
            }
        }

        return m;
    }
}
