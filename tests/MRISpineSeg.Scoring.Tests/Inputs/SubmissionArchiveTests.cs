using System.IO.Compression;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Tests.Support;

namespace MRISpineSeg.Scoring.Tests.Inputs;

public sealed class SubmissionArchiveTests
{
    [Fact]
    public async Task ZipWithMasksAtTheRootShouldBeExtractedAndRemovedOnDispose()
    {
        using var tmp = new TempDir();
        var zip = MakeZip(tmp, ("Case1.nii.gz", MaskBytes(tmp)), ("Case2.nii.gz", MaskBytes(tmp)));
        string folder;
        using (var source = await SubmissionArchive.ExtractAsync(zip))
        {
            Assert.Equal([1, 2], source.Masks.Select(m => m.CaseId));
            Assert.Equal("Case1.nii.gz", source.Masks[0].Name);
            folder = Path.GetDirectoryName(source.Masks[0].Path)!;
            Assert.True(File.Exists(source.Masks[0].Path));
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AForwardOnlyStreamLikeABlobDownloadShouldBeExtracted()
    {
        using var tmp = new TempDir();
        var zip = MakeZip(tmp, ("Case4.nii.gz", MaskBytes(tmp)));
        await using var stream = new ForwardOnly(File.ReadAllBytes(zip));
        using var source = await SubmissionArchive.ExtractAsync(stream, "submissions/team-a/1.zip");
        Assert.Equal("submissions/team-a/1.zip", source.Description);
        Assert.Equal(4, Assert.Single(source.Masks).CaseId);
    }

    [Fact]
    public async Task ZipWithMasksInsideOneFolderShouldBeAccepted()
    {
        using var tmp = new TempDir();
        var zip = MakeZip(tmp, ("team/", null), ("team/Case3.nii.gz", MaskBytes(tmp)), ("__MACOSX/team/._Case3.nii.gz", [1, 2, 3]));
        using var source = await SubmissionSources.OpenAsync(zip);
        Assert.Equal("team/Case3.nii.gz", Assert.Single(source.Masks).Name);
    }

    [Theory]
    [InlineData("../evil.nii.gz")]
    [InlineData("preds/../../evil.nii.gz")]
    [InlineData("/etc/evil.nii.gz")]
    [InlineData("C:/evil.nii.gz")]
    [InlineData("..\\evil.nii.gz")]
    public async Task ZipSlipEntriesShouldBeRefusedBeforeAnythingIsWritten(string entry)
    {
        using var tmp = new TempDir();
        var zip = MakeZip(tmp, ("Case1.nii.gz", MaskBytes(tmp)), (entry, [1, 2, 3]));
        var before = Directory.GetDirectories(Path.GetTempPath(), "spineseg-submission-*").Length;
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionArchive.ExtractAsync(zip));
        Assert.Equal(ScoringErrorReason.UnsafeArchivePath, ex.Reason);
        Assert.Contains(entry, ex.Message);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.nii.gz")));
        Assert.True(Directory.GetDirectories(Path.GetTempPath(), "spineseg-submission-*").Length <= before);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(256)]
    public async Task AnEntryNameTooLongForAFileSystemShouldBeRefusedForGoodNamingTheLimit(int length)
    {
        // F6: a 300-character entry failed with PathTooLongException, was taken for transient and retried forever.
        using var tmp = new TempDir();
        var entry = "Case1" + new string('x', length - "Case1.nii.gz".Length) + ".nii.gz";
        var zip = MakeZip(tmp, (entry, MaskBytes(tmp)));
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionArchive.ExtractAsync(zip));
        Assert.Equal(ScoringErrorReason.InvalidLayout, ex.Reason);
        Assert.Contains($"name part of {length} bytes; file systems allow 255", ex.Message);
        Assert.True(ex.Message.Length < 400, "the message shortens the name");
    }

    [Fact]
    public async Task TooManyEntriesShouldBeRefusedNamingTheLimit()
    {
        using var tmp = new TempDir();
        var entries = Enumerable.Range(1, 11).Select(i => ($"Case{i}.nii.gz", (byte[]?)[0])).ToArray();
        var zip = MakeZip(tmp, entries);
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionArchive.ExtractAsync(zip, new ArchiveLimits { MaxEntries = 10 }));
        Assert.Equal(ScoringErrorReason.ArchiveTooManyEntries, ex.Reason);
        Assert.Contains("limit of 10", ex.Message);
    }

    [Fact]
    public async Task ABombShouldStopWhileInflatingAtTheByteCap()
    {
        using var tmp = new TempDir();
        // 64 MiB of zeros deflates to ~64 KB; the cap is 1 MiB, so inflation must stop long before the end.
        var zip = tmp.File("bomb.zip");
        using (var z = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            for (var k = 0; k < 2; k++)
            {
                using var s = z.CreateEntry($"Case{k}.nii", CompressionLevel.SmallestSize).Open();
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 32; i++) s.Write(zeros);
            }
        }

        Assert.True(new FileInfo(zip).Length < 1 << 20);
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionArchive.ExtractAsync(zip, new ArchiveLimits { MaxInflatedBytes = 1 << 20 }));
        Assert.Equal(ScoringErrorReason.ArchiveTooLarge, ex.Reason);
        Assert.Contains("limit of 1048576 bytes", ex.Message);
    }

    [Fact]
    public async Task ABombLyingAboutItsSizeShouldStillStopAtTheCap()
    {
        using var tmp = new TempDir();
        var zip = tmp.File("liar.zip");
        using (var z = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var s = z.CreateEntry("Case1.nii", CompressionLevel.SmallestSize).Open();
            s.Write(new byte[4 << 20]);
        }

        // Rewrite the declared uncompressed size (local header offset 22, central directory +24) to 100 bytes.
        var bytes = File.ReadAllBytes(zip);
        BitConverter.GetBytes(100u).CopyTo(bytes, 22);
        var cd = FindSignature(bytes, 0x02014b50);
        BitConverter.GetBytes(100u).CopyTo(bytes, cd + 24);
        File.WriteAllBytes(zip, bytes);
        // Whatever the runtime does with the lie (stop at the declared size, or inflate on), no more than the cap may land on disk.
        try
        {
            using var source = await SubmissionArchive.ExtractAsync(zip, new ArchiveLimits { MaxInflatedBytes = 1 << 20 });
            Assert.True(new FileInfo(Assert.Single(source.Masks).Path).Length <= 1 << 20);
        }
        catch (ScoringException ex)
        {
            Assert.True(ex.Reason is ScoringErrorReason.ArchiveTooLarge or ScoringErrorReason.CorruptArchive, ex.Message);
        }
    }

    [Fact]
    public async Task ANonZipFileShouldBeCorruptArchive()
    {
        using var tmp = new TempDir();
        var zip = tmp.File("not.zip");
        File.WriteAllText(zip, "this is not a zip");
        var ex = await Assert.ThrowsAsync<ScoringException>(() => SubmissionArchive.ExtractAsync(zip));
        Assert.Equal(ScoringErrorReason.CorruptArchive, ex.Reason);
    }

    internal static byte[] MaskBytes(TempDir tmp)
    {
        var dir = tmp.Sub("src-" + Guid.NewGuid().ToString("N")[..6]);
        return File.ReadAllBytes(Masks.Write(dir, "m.nii.gz", Masks.Boxes(1)));
    }

    internal static string MakeZip(TempDir tmp, params (string Name, byte[]? Data)[] entries)
    {
        var path = tmp.File(Guid.NewGuid().ToString("N")[..8] + ".zip");
        using var z = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, data) in entries)
        {
            var e = z.CreateEntry(name);
            if (data is null) continue;
            using var s = e.Open();
            s.Write(data);
        }

        return path;
    }

    private static int FindSignature(byte[] bytes, uint signature)
    {
        for (var i = bytes.Length - 4; i >= 0; i--)
        {
            if (BitConverter.ToUInt32(bytes, i) == signature) return i;
        }

        throw new InvalidOperationException("signature not found");
    }

    private sealed class ForwardOnly(byte[] data) : Stream
    {
        private readonly MemoryStream inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
