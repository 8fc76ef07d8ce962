using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.MetaImage;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging;

/// <summary>
/// Reads and writes volumes by file name: <c>.nii</c>, <c>.nii.gz</c>, <c>.mha</c>, <c>.mhd</c> (+ raw). This is the
/// registry keyed by file ending; the format classes under <c>Nifti/</c> and <c>MetaImage/</c> do the work.
/// </summary>
public static class VolumeIO
{
    /// <summary>Every volume ending this registry knows; <c>.nii.gz</c> comes before <c>.nii</c> so that the whole ending is matched.</summary>
    private static readonly (string Extension, VolumeFormat Format)[] Endings =
    [
        (".nii.gz", VolumeFormat.Nifti),
        (".nii", VolumeFormat.Nifti),
        (".mha", VolumeFormat.MetaImage),
        (".mhd", VolumeFormat.MetaImage),
    ];

    /// <summary>The endings for messages: <c>.nii.gz, .nii, .mha, .mhd</c>.</summary>
    public static readonly string SupportedExtensions = string.Join(", ", Endings.Select(e => e.Extension));

    /// <summary>True when the name ends in a supported volume extension (case-insensitive).</summary>
    public static bool IsVolumeFileName(string name) => TryGetFormat(name, out _);

    public static bool TryGetFormat(string name, out VolumeFormat format)
    {
        foreach (var (ext, f) in Endings)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }

        format = default;
        return false;
    }

    /// <summary>The name without its volume extension (<c>Case3.nii.gz</c> → <c>Case3</c>).</summary>
    public static string StripExtension(string name)
    {
        foreach (var (ext, _) in Endings)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return name[..^ext.Length];
        }

        return name;
    }

    public static VolumeFormat GetFormat(string name)
        => TryGetFormat(name, out var f)
            ? f
            : throw new VolumeFormatException(VolumeErrorReason.UnknownFormat, name, "file name", $"has no supported extension; use one of {SupportedExtensions}");

    public static Volume Read(string path, VolumeReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = GetFormat(path);
        using var stream = OpenRead(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return format == VolumeFormat.Nifti
            ? NiftiReader.Read(stream, path, options)
            : MetaImageReader.Read(stream, path, name => OpenRead(Path.Combine(dir, name)), options);
    }

    /// <summary>
    /// Reads from a stream; <paramref name="fileName"/> decides the format. A <c>.mhd</c> cannot be read this way
    /// (its data lives in another file).
    /// </summary>
    public static Volume Read(Stream stream, string fileName, VolumeReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return GetFormat(fileName) == VolumeFormat.Nifti
            ? NiftiReader.Read(stream, fileName, options)
            : MetaImageReader.Read(stream, fileName, openDataFile: null, options);
    }

    /// <summary>Reads only the header from the first bytes of a file (gzip included); the rest of the stream is not touched.</summary>
    public static VolumeHeaderInfo ReadHeader(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return GetFormat(fileName) == VolumeFormat.Nifti
            ? NiftiReader.ReadHeader(stream, fileName)
            : MetaImageReader.ReadHeader(stream, fileName);
    }

    /// <summary>
    /// Writes by extension. The file appears whole or not at all: data goes to a temporary sibling that is then renamed.
    /// </summary>
    public static void Write(Volume volume, string path)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = GetFormat(path);
        var full = Path.GetFullPath(path); // AtomicFile creates the folder
        if (format == VolumeFormat.MetaImage && full.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase))
        {
            var rawName = Path.GetFileNameWithoutExtension(full) + ".raw";
            var rawPath = Path.Combine(Path.GetDirectoryName(full)!, rawName);
            AtomicFile.Write(rawPath, s => MetaImageWriter.WriteRaw(volume, s, path));
            AtomicFile.Write(full, s => MetaImageWriter.WriteMhdHeader(volume, s, rawName, path));
            return;
        }

        AtomicFile.Write(full, s => Write(volume, s, path));
    }

    /// <summary>Writes a <c>.nii</c>, <c>.nii.gz</c> or <c>.mha</c> to a stream; <paramref name="fileName"/> decides the format.</summary>
    public static void Write(Volume volume, Stream stream, string fileName)
    {
        var lower = fileName.ToLowerInvariant();
        if (lower.EndsWith(".nii.gz", StringComparison.Ordinal)) NiftiWriter.Write(volume, stream, gzip: true);
        else if (lower.EndsWith(".nii", StringComparison.Ordinal)) NiftiWriter.Write(volume, stream, gzip: false);
        else if (lower.EndsWith(".mha", StringComparison.Ordinal)) MetaImageWriter.WriteMha(volume, stream, fileName);
        else throw new VolumeFormatException(VolumeErrorReason.UnknownFormat, fileName, "file name", $"cannot be written to a stream; use .nii, .nii.gz or .mha ({SupportedExtensions} for files)");
    }

    private static FileStream OpenRead(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
}
