using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Tests.Storage;

/// <summary>"Ground truth is never served" holds in storage itself, for every host, not only in one CLI verb.</summary>
public sealed class GroundTruthPrivacyTests
{
    private static readonly PipelineStorage Storage = new(PipelineClients.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }));

    [Theory]
    [InlineData("ground-truth")]
    [InlineData("Ground-Truth")]
    [InlineData("ground-truth/")]
    [InlineData(" ground-truth ")]
    public void NoHostShouldGetAClientForTheGroundTruthContainer(string name)
    {
        var ex = Assert.Throws<PipelineException>(() => Storage.Container(name));

        Assert.Equal(PipelineErrorReason.PrivateData, ex.Reason);
        Assert.Contains("never downloaded, listed or served", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient); // a refusal, not something to retry
    }

    [Fact]
    public void EveryOtherContainerShouldBeReachable()
    {
        foreach (var c in ContainerNames.All.Where(c => c != ContainerNames.GroundTruth))
            Assert.Equal(c, Storage.Container(c).Name);
    }

    [Fact]
    public async Task AGroundTruthUploadWithAHostileNameShouldBeRefusedBeforeAnythingIsSent()
    {
        await using var content = new MemoryStream([1, 2, 3]);
        await Assert.ThrowsAnyAsync<Exception>(() => Storage.UploadGroundTruthAsync("../mask_case1.nii.gz", content));
    }
}
