using System.IO.Compression;

namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// Unpacks a submission zip into a fresh temporary folder, treating the zip as hostile:
/// <list type="bullet">
/// <item>an entry whose name is absolute, has a drive letter or a <c>..</c> segment is refused (zip-slip);</item>
/// <item>at most <see cref="ArchiveLimits.MaxEntries"/> entries;</item>
/// <item>at most <see cref="ArchiveLimits.MaxInflatedBytes"/> bytes in total, counted while inflating (declared sizes are not trusted).</item>
/// </list>
/// On any failure the folder is removed at once; otherwise disposing the returned source removes it.
/// </summary>
public static class SubmissionArchive
{
    /// <summary>True for names ending in <c>.zip</c> (case-insensitive).</summary>
    public static bool IsZipFileName(string name) => name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static async Task<ISubmissionSource> ExtractAsync(string zipPath, ArchiveLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        if (!File.Exists(zipPath)) throw new ScoringException(ScoringErrorReason.SourceNotFound, $"{zipPath}: no such file");
        var fs = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (fs.ConfigureAwait(false))
        {
            return await ExtractAsync(fs, zipPath, limits, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Unpacks a zip read from a seekable or forward-only stream (a forward-only one is buffered whole by
    /// <see cref="ZipArchive"/>, so cap upload sizes upstream); <paramref name="description"/> is quoted in errors.
    /// </summary>
    public static async Task<ISubmissionSource> ExtractAsync(Stream zip, string description, ArchiveLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        limits ??= ArchiveLimits.Default;
        var temp = Directory.CreateTempSubdirectory("spineseg-submission-").FullName;
        try
        {
            await UnpackAsync(zip, description, temp, limits, cancellationToken).ConfigureAwait(false);
            return SubmissionFolder.Open(temp, description, () => TryDelete(temp));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static async Task UnpackAsync(Stream zip, string description, string dest, ArchiveLimits limits, CancellationToken ct)
    {
        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(zip, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new ScoringException(ScoringErrorReason.CorruptArchive, $"{description}: not a readable zip ({ex.Message})", inner: ex);
        }

        await using (archive.ConfigureAwait(false))
        {
            if (archive.Entries.Count > limits.MaxEntries)
                throw new ScoringException(ScoringErrorReason.ArchiveTooManyEntries, $"{description}: holds {archive.Entries.Count} entries, more than the limit of {limits.MaxEntries}; a submission needs one mask per case");
            var root = Path.GetFullPath(dest) + Path.DirectorySeparatorChar;
            var buffer = new byte[1 << 16];
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                var target = SafeTarget(entry.FullName, root, description);
                if (target is null) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (File.Exists(target))
                    throw new ScoringException(ScoringErrorReason.InvalidLayout, $"{description}: holds {entry.FullName} more than once");
                try
                {
                    var input = await entry.OpenAsync(ct).ConfigureAwait(false);
                    await using (input.ConfigureAwait(false))
                    {
                        var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                        await using (output.ConfigureAwait(false))
                        {
                            int n;
                            while ((n = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                            {
                                total += n;
                                if (total > limits.MaxInflatedBytes)
                                    throw new ScoringException(ScoringErrorReason.ArchiveTooLarge, $"{description}: inflates to more than the limit of {limits.MaxInflatedBytes} bytes (stopped inside {entry.FullName})");
                                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                            }
                        }
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new ScoringException(ScoringErrorReason.CorruptArchive, $"{description}: entry {entry.FullName} is damaged ({ex.Message})", inner: ex);
                }
            }
        }
    }

    /// <summary>The longest file or folder name, in bytes, that Linux, macOS and Windows file systems all accept.</summary>
    private const int MaxNameBytes = 255;

    private static string Shorten(string name) => name.Length <= 80 ? name : name[..60] + "…" + name[^16..];

    /// <summary>The path an entry may be written to, null for folder entries and junk, or a zip-slip error.</summary>
    private static string? SafeTarget(string entryName, string root, string description)
    {
        var name = entryName.Replace('\\', '/');
        if (name.Length == 0 || name.EndsWith('/')) return null;
        var segments = name.Split('/');
        var unsafePath = name.StartsWith('/') || name.Contains(':', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || segments.Any(s => s is ".." or "." || s.Length == 0);
        var longest = segments.Max(seg => System.Text.Encoding.UTF8.GetByteCount(seg));
        if (!unsafePath && longest > MaxNameBytes)
            throw new ScoringException(ScoringErrorReason.InvalidLayout, $"{description}: entry \"{Shorten(entryName)}\" has a name part of {longest} bytes; file systems allow {MaxNameBytes}. Name masks Case1.nii.gz or mask_case1.nii.gz");
        var full = unsafePath ? null : Path.GetFullPath(Path.Combine(root, Path.Combine(segments)));
        if (full is null || !full.StartsWith(root, StringComparison.Ordinal))
            throw new ScoringException(ScoringErrorReason.UnsafeArchivePath, $"{description}: entry \"{entryName}\" points outside the archive (absolute path, drive letter or '..'); use plain relative names such as Case1.nii.gz or preds/Case1.nii.gz");
        return segments.Any(SubmissionFolder.IsJunk) ? null : full;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the score for; the OS temp cleaner removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
