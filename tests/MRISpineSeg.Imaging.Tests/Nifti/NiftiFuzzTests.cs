using MRISpineSeg.Imaging.Tests.Support;

namespace MRISpineSeg.Imaging.Tests.Nifti;

/// <summary>
/// Many random mutations of a valid file (byte flips, truncations, insertions, field smashes), plain and gzip:
/// each must give a <see cref="VolumeFormatException"/> or a valid volume, and nothing else.
/// </summary>
public sealed class NiftiFuzzTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void MutatedFilesShouldGiveTheFormatExceptionOrAValidVolume(bool gzip, int seed)
    {
        var valid = SampleVolumes.NiftiBytes(SampleVolumes.Int16());
        var rng = new Random(seed);
        var options = new VolumeReadOptions { MaxVoxelBytes = 8 << 20 };
        int refused = 0, accepted = 0;
        for (var iteration = 0; iteration < 600; iteration++)
        {
            var bytes = Mutate(valid, rng);
            if (gzip) bytes = SampleVolumes.Gzip(bytes);
            if (gzip && rng.Next(4) == 0) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            try
            {
                var v = SampleVolumes.Read(bytes, options);
                Assert.Equal(v.Shape.Count, v.Voxels.Length);
                accepted++;
            }
            catch (VolumeFormatException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Field));
                refused++;
            }
        }

        Assert.True(refused > 50 && accepted > 50, $"refused {refused}, accepted {accepted}: the mutations should exercise both paths");
    }

    private static byte[] Mutate(byte[] valid, Random rng)
    {
        var b = (byte[])valid.Clone();
        switch (rng.Next(5))
        {
            case 0:
                for (var i = rng.Next(1, 6); i > 0; i--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                return b;
            case 1:
                return b[..rng.Next(b.Length)];
            case 2:
                var extra = new byte[rng.Next(1, 64)];
                rng.NextBytes(extra);
                var at = rng.Next(b.Length);
                return [.. b[..at], .. extra, .. b[at..]];
            case 3:
                // Smash a header field region (dims, datatype, pixdim, vox_offset, slope).
                var offsets = new[] { 40, 42, 44, 46, 48, 70, 72, 76, 108, 112, 252, 254 };
                var o = offsets[rng.Next(offsets.Length)];
                b[o] = (byte)rng.Next(256);
                b[o + 1] = (byte)rng.Next(256);
                return b;
            default:
                b[rng.Next(348, b.Length)] ^= 0xFF;
                return b;
        }
    }
}
