using System.Text.Json;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Postprocessing;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.EndToEnd;

/// <summary>The largest-component clean-up inside <see cref="Segmenter"/>: what the option and the manifest decide, and what the stats say.</summary>
public sealed class KeepLargestSegmenterTests(RandomVNetFixture model) : IClassFixture<RandomVNetFixture>
{
    [Fact]
    public async Task TurnedOnTheMaskShouldBeThePlainMaskFilteredAndTheStatsShouldCountWhatWasRemoved()
    {
        var plain = await new Segmenter(model.Network).SegmentFileAsync(Golden.PsrQformScan);
        var cleaned = await new Segmenter(model.Network, new SegmenterOptions { KeepLargestComponent = true }).SegmentFileAsync(Golden.PsrQformScan);

        var expected = plain.Mask.Voxels.As<byte>().Data.ToArray();
        var removed = LargestComponentFilter.Apply(expected, plain.Mask.Shape);
        Assert.True(removed > 0, "the random model's mask should have stray components to remove");
        Assert.Equal(expected, cleaned.Mask.Voxels.As<byte>().Data);
        Assert.Null(plain.Stats.KeepLargestRemovedVoxels);
        Assert.Equal(removed, cleaned.Stats.KeepLargestRemovedVoxels);
        using var json = JsonDocument.Parse(cleaned.Stats.ToJson());
        Assert.Equal(removed, json.RootElement.GetProperty("keepLargestComponent").GetProperty("removedVoxels").GetInt64());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(plain.Stats.ToJson()).RootElement.GetProperty("keepLargestComponent").ValueKind);
        Assert.Equal(cleaned.Mask.Voxels.As<byte>().Data.Count(v => v != 0), cleaned.Stats.Structures.Sum(s => s.VoxelCount));
    }

    [Fact]
    public async Task AManifestThatAsksForItShouldGetItUnlessTheCallerSaysNoAndItsTrainingDataShouldReachTheStats()
    {
        var path = Path.Combine(model.Directory.FullName, "keep-largest.onnx");
        VNetModelBuilder.Write(
            RandomWeights.Create(VNetArchitecture.Spine(2), seed: 1),
            path,
            new VNetBuildOptions { Grid = RandomVNetFixture.Grid, KeepLargestComponent = true, TrainingData = "synthetic phantoms only" });
        using var network = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { IntraOpThreads = 1 });

        var byManifest = await new Segmenter(network).SegmentFileAsync(Golden.PsrQformScan);
        var refused = await new Segmenter(network, new SegmenterOptions { KeepLargestComponent = false }).SegmentFileAsync(Golden.PsrQformScan);

        Assert.NotNull(byManifest.Stats.KeepLargestRemovedVoxels);
        Assert.Null(refused.Stats.KeepLargestRemovedVoxels);
        Assert.Equal("synthetic phantoms only", byManifest.Stats.TrainingData);
        using var json = JsonDocument.Parse(byManifest.Stats.ToJson());
        Assert.Equal("synthetic phantoms only", json.RootElement.GetProperty("trainingData").GetString());
    }
}
