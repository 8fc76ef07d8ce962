namespace MRISpineSeg.Imaging.IO;

/// <summary>
/// Files that appear whole or not at all: the data goes to a temporary sibling (<c>name.tmp-xxxxxxxx</c>) that is
/// renamed over the target when complete, and deleted when writing fails. A reader never sees half a mask, report or
/// model. The folder is created when missing.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, tmp) = Prepare(path);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(fs);
            }

            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>The asynchronous form; a cancellation after <paramref name="write"/> still leaves the target untouched.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, tmp) = Prepare(path);
        try
        {
            var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (fs.ConfigureAwait(false))
            {
                await write(fs).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return WriteAsync(path, s => s.WriteAsync(bytes, cancellationToken).AsTask(), cancellationToken);
    }

    private static (string Full, string Tmp) Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, full + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
    }
}
