using System.Text.Json;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation.Tests.Stats;

public sealed class StructureCounterTests
{
    [Fact]
    public void HistogramShouldCountEveryLabelValue()
    {
        var labels = new byte[1003];
        for (var i = 0; i < labels.Length; i++) labels[i] = (byte)(i % 7 == 0 ? 12 : i % 3);
        var h = StructureCounter.Histogram(labels);
        Assert.Equal(labels.Length, h.Sum());
        Assert.Equal(labels.Count(v => v == 12), h[12]);
        Assert.Equal(labels.Count(v => v == 2), h[2]);
        Assert.Equal(0, h[255]);
    }

    [Fact]
    public void VoxelVolumeShouldBeTheAbsoluteDeterminantOfTheRotatedAffine()
    {
        // PSR with qfac -1: a left-handed frame, determinant negative; volume is its magnitude.
        var affine = Affine.FromRows(0, 0, 4.4, 0, -0.6, 0, 0, 0, 0, 0.65, 0, 0);
        Assert.Equal(0.6 * 0.65 * 4.4, StructureCounter.VoxelVolumeMm3(affine), 12);
    }

    [Fact]
    public void StructuresShouldListOnlyPresentLabelsWithNamesAndVolumes()
    {
        var h = new long[256];
        h[0] = 1000;
        h[3] = 10;
        h[12] = 4;
        var s = StructureCounter.Structures(h, 1.5, SpineClasses.Names);
        Assert.Equal([new StructureStats(3, "L4", 10, 15), new StructureStats(12, "L4/L5", 4, 6)], s);
    }

    [Fact]
    public void StatsJsonShouldCarryModelTimingsAndStructures()
    {
        var timings = new StageTimings();
        timings.Add(StageTimings.Read, TimeSpan.FromMilliseconds(12.34));
        timings.Add(StageTimings.Infer, TimeSpan.FromSeconds(2));
        var stats = new SegmentationStats
        {
            ModelId = "vnet-w2-random-seed1",
            ScanName = "Case7.nii.gz",
            Shape = new Shape3(40, 36, 7),
            SpacingMm = [0.6, 0.65, 4.4],
            Orientation = "PSR",
            VoxelVolumeMm3 = 1.716,
            Structures = [new StructureStats(1, "S", 100, 171.6)],
            Timings = timings,
        };

        using var doc = JsonDocument.Parse(stats.ToJson());
        var root = doc.RootElement;
        Assert.Equal("vnet-w2-random-seed1", root.GetProperty("modelId").GetString());
        Assert.Equal(12.3, root.GetProperty("timingsMs").GetProperty("read").GetDouble());
        Assert.Equal(2000, root.GetProperty("timingsMs").GetProperty("infer").GetDouble());
        Assert.Equal(2012.3, root.GetProperty("timingsMs").GetProperty("total").GetDouble());
        var s = root.GetProperty("structures")[0];
        Assert.Equal(1, s.GetProperty("label").GetInt32());
        Assert.Equal("S", s.GetProperty("name").GetString());
        Assert.Equal(100, s.GetProperty("voxels").GetInt64());
        Assert.Equal(171.6, s.GetProperty("volumeMm3").GetDouble());
        Assert.Equal(7, root.GetProperty("shape")[2].GetInt32());
    }
}
