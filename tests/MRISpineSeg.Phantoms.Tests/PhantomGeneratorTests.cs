using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Labels;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Phantoms.Tests;

/// <summary>Phantoms follow the challenge conventions and anatomy, and are reproducible.</summary>
public sealed class PhantomGeneratorTests
{
    private static readonly PhantomOptions Small = new() { Shape = new Shape3(128, 128, 12), Spacing = [2.4, 2.4, 4.4] };

    [Fact]
    public void SameSeedShouldGiveTheSameVoxels()
    {
        var a = PhantomGenerator.Generate(5, Small);
        var b = PhantomGenerator.Generate(5, Small);
        Assert.Equal(a.Image.Voxels.AsBytes().ToArray(), b.Image.Voxels.AsBytes().ToArray());
        Assert.Equal(a.Mask.Voxels.AsBytes().ToArray(), b.Mask.Voxels.AsBytes().ToArray());
        var c = PhantomGenerator.Generate(6, Small);
        Assert.NotEqual(a.Mask.Voxels.AsBytes().ToArray(), c.Mask.Voxels.AsBytes().ToArray());
    }

    [Fact]
    public void FilesShouldUseTheChallengeConventions()
    {
        var dir = Path.Combine(Path.GetTempPath(), "phantom-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (scanPath, maskPath) = PhantomGenerator.WriteCase(PhantomGenerator.Generate(12, Small), dir);
            Assert.Equal("Case12.nii.gz", Path.GetFileName(scanPath));
            Assert.Equal("mask_case12.nii.gz", Path.GetFileName(maskPath));
            var scan = VolumeIO.Read(scanPath);
            var mask = VolumeIO.Read(maskPath);
            Assert.Equal(VoxelType.Float32, scan.VoxelType);
            Assert.Equal(VoxelType.UInt8, mask.VoxelType);
            Assert.Equal("PSR", scan.Geometry.Orientation);
            Assert.Equal(1, scan.NiftiHeader!.QformCode);
            Assert.Equal(0, scan.NiftiHeader.SformCode);
            Assert.Equal(-1.0, scan.NiftiHeader.Pixdim[0]);
            Assert.Equal(scan.Geometry.Affine, mask.Geometry.Affine);
            Assert.Equal(scan.Shape, mask.Shape);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void LabelsShouldBeCountedUpFromTheSacrum()
    {
        var p = PhantomGenerator.Generate(3, Small);
        var centroids = Centroids(p.Mask);
        Assert.True(centroids.ContainsKey(1) && centroids.ContainsKey(2) && centroids.ContainsKey(11), "sacrum, L5 and L5/S must be in view");
        // Along the spine (superior = increasing y): S < L5/S < L5 < L4/L5 < L4 ...
        var order = new[] { 1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6, 16, 7, 17, 8, 18, 9, 19, 10 };
        var seen = order.Where(centroids.ContainsKey).Select(l => centroids[l]).ToArray();
        for (var i = 1; i < seen.Length; i++) Assert.True(seen[i] > seen[i - 1], $"structure {i} is not above the one below it");
    }

    [Fact]
    public void IntensitiesShouldLookLikeT2()
    {
        var p = PhantomGenerator.Generate(4, new PhantomOptions());
        var img = p.Image.Voxels.As<float>().Data;
        var labels = p.Mask.Voxels.As<byte>().Data;
        double Mean(Func<byte, bool> pick)
        {
            double s = 0;
            long n = 0;
            for (var i = 0; i < img.Length; i++)
            {
                if (!pick(labels[i])) continue;
                s += img[i];
                n++;
            }

            return s / n;
        }

        var bone = Mean(l => SpineLabels.IsVertebra(l));
        var disc = Mean(l => SpineLabels.IsDisc(l));
        Assert.True(disc > bone * 1.3, $"discs ({disc:0}) must be brighter than vertebral bodies ({bone:0}) on T2");
        Assert.True(img.Max() is > 1500 and < 3500, $"max {img.Max()} should be in the range of real scans (clip at 2650)");
        Assert.True(img.Min() >= 0);
    }

    [Fact]
    public void UpperThoracicLevelsShouldSometimesBeOutOfView()
    {
        int withT9 = 0, withoutT9 = 0;
        for (var seed = 100; seed < 112; seed++)
        {
            var p = PhantomGenerator.Generate(seed, Small);
            if (p.Mask.Voxels.As<byte>().Data.AsSpan().Contains((byte)10)) withT9++;
            else withoutT9++;
        }

        Assert.True(withT9 > 0 && withoutT9 > 0, $"T9 in view in {withT9} of 12 phantoms; it should vary with the seed");
    }

    [Theory]
    [InlineData(880, 880, 12, 0.4, 0.4, 4.4)]
    [InlineData(200, 180, 15, 1.5, 1.6, 3.3)]
    public void OtherGeometriesShouldStillShowTheLumbarSpine(int x, int y, int z, double sx, double sy, double sz)
    {
        var p = PhantomGenerator.Generate(8, new PhantomOptions { Shape = new Shape3(x, y, z), Spacing = [sx, sy, sz] });
        var present = Centroids(p.Mask).Keys.ToHashSet();
        foreach (var l in new[] { 2, 3, 4, 5, 12, 13 }) Assert.Contains(l, present);
    }

    [Fact]
    public void BadOptionsShouldBeRefused()
    {
        Assert.Throws<ArgumentException>(() => PhantomGenerator.Generate(1, new PhantomOptions { Shape = new Shape3(8, 8, 1) }));
        Assert.Throws<ArgumentException>(() => PhantomGenerator.Generate(1, new PhantomOptions { Spacing = [0.6, -1, 4.4] }));
    }

    private static Dictionary<int, double> Centroids(Volume mask)
    {
        var labels = mask.Voxels.As<byte>().Data;
        var sum = new double[20];
        var n = new long[20];
        var s = mask.Shape;
        for (var z = 0; z < s.Z; z++)
        {
            for (var y = 0; y < s.Y; y++)
            {
                for (var x = 0; x < s.X; x++)
                {
                    var l = labels[s.Index(x, y, z)];
                    sum[l] += y;
                    n[l]++;
                }
            }
        }

        return Enumerable.Range(1, 19).Where(l => n[l] > 0).ToDictionary(l => l, l => sum[l] / n[l]);
    }
}
