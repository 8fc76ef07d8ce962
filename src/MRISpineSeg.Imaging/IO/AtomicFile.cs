namespace MRISpineSeg.Imaging.IO;

/// <summary>
/// Files that appear whole or not at all: the data goes to a temporary sibling (<c>name.tmp-xxxxxxxx</c>) that is
/// renamed over the target when complete, and deleted when writing fails. A reader never sees half a mask.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Prepare(path);
        var tmp = TempSibling(full);
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

    public static async Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var full = Prepare(path);
        var tmp = TempSibling(full);
        try
        {
            await File.WriteAllBytesAsync(tmp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    private static string Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    private static string TempSibling(string full) => full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
}
