using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.EndToEnd.Tests.Pipeline;

/// <summary>Issue 13 F4 (the cache): the scorer's copy of the hidden truth is private, checked by content, and removed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GroundTruthCacheTests(Azurite azurite)
{
    [Fact]
    public async Task TheCacheShouldBeOwnerOnlyPerProcessVerifiedByContentAndRemovedOnDispose()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var truth = p.Blob(ContainerNames.GroundTruth, "mask_case1.nii.gz");
        if (!(await truth.ExistsAsync()).Value) await truth.UploadAsync(new BinaryData(TestVolumes.ScanNiiGz()));
        var original = (await truth.DownloadContentAsync()).Value.Content.ToArray();

        string directory;
        using (var cache = new GroundTruthCache(p.Storage))
        using (var other = new GroundTruthCache(p.Storage))
        {
            directory = cache.Directory;
            Assert.NotEqual(cache.Directory, other.Directory); // two hosts never share one copy
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache.Directory));
            Assert.True(await cache.SyncAsync() >= 1);
            var cached = Path.Combine(cache.Directory, "mask_case1.nii.gz");
            Assert.Equal(original, await File.ReadAllBytesAsync(cached));

            // Replace the cached file (same length, other bytes): the next sync must not trust it.
            var forged = (byte[])original.Clone();
            forged[^10] ^= 0xFF;
            await File.WriteAllBytesAsync(cached, forged);
            await cache.SyncAsync();
            Assert.Equal(original, await File.ReadAllBytesAsync(cached));
            Assert.DoesNotContain(Directory.EnumerateFiles(cache.Directory), f => f.EndsWith(".etag", StringComparison.Ordinal));
        }

        Assert.False(Directory.Exists(directory));
    }
}
