using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Imaging.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("atomic").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FailedWriteShouldLeaveTheOldFileAndNoTemporary()
    {
        var path = Path.Combine(_dir, "mask.nii.gz");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([9, 9, 9, 9]);
            throw new IOException("disk full");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task WriteShouldCreateMissingFoldersAndReplaceTheFileWhole()
    {
        var path = Path.Combine(_dir, "a", "b", "stats.json");
        await AtomicFile.WriteAllBytesAsync(path, [1]);
        await AtomicFile.WriteAllBytesAsync(path, [4, 5]);

        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
