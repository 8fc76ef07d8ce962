using System.Globalization;
using System.Text;

namespace MRISpineSeg.Imaging.MetaImage;

/// <summary>
/// The ordered <c>Key = Value</c> lines of a MetaImage header, up to and including <c>ElementDataFile</c>
/// (which MetaIO requires to be last; for <c>.mha</c> the voxel data starts right after that line).
/// </summary>
internal sealed class MetaImageHeader
{
    /// <summary>Text headers beyond this size are refused, so random bytes cannot make the reader scan forever.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    public string? Get(string key) => _fields.TryGetValue(key, out var v) ? v : null;

    public string? GetAny(params string[] keys)
    {
        foreach (var k in keys)
        {
            if (_fields.TryGetValue(k, out var v)) return v;
        }

        return null;
    }

    public static MetaImageHeader Parse(Stream s, string? fileName)
    {
        var header = new MetaImageHeader();
        var line = new StringBuilder();
        var total = 0;
        while (true)
        {
            var b = s.ReadByte();
            if (b < 0)
            {
                if (total == 0)
                    throw new VolumeFormatException(VolumeErrorReason.EmptyFile, fileName, "file", "is empty (0 bytes); expected a MetaImage (.mha/.mhd) header");
                throw new VolumeFormatException(VolumeErrorReason.TruncatedHeader, fileName, "ElementDataFile", "the header ends before its ElementDataFile line, which every MetaImage header needs last");
            }

            total++;
            if (total > MaxHeaderBytes)
                throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "header", $"no ElementDataFile line in the first {MaxHeaderBytes} bytes; this is not a MetaImage header");
            if (b == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Trim().Length == 0) continue;
                var eq = text.IndexOf('=');
                if (eq <= 0)
                    throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, "header", $"line \"{Clip(text)}\" is not \"Key = Value\"; this is not a MetaImage header");
                var key = text[..eq].Trim();
                var value = text[(eq + 1)..].Trim();
                header._fields[key] = value;
                if (key.Equals("ElementDataFile", StringComparison.OrdinalIgnoreCase)) return header;
            }
            else
            {
                if (b < 9 || (b > 13 && b < 32) || b > 126)
                    throw new VolumeFormatException(VolumeErrorReason.UnknownFormat, fileName, "header", $"byte {total - 1} is 0x{b:x2}, not text; a MetaImage header is ASCII \"Key = Value\" lines");
                line.Append((char)b);
            }
        }
    }

    public static double[] Numbers(string? text, int count, string? fileName, string field)
    {
        if (text is null)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, field, $"is missing; it must hold {count} numbers");
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < count)
            throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, field, $"is \"{Clip(text)}\"; it must hold {count} numbers");
        var r = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]) || !double.IsFinite(r[i]))
                throw new VolumeFormatException(VolumeErrorReason.InvalidHeader, fileName, field, $"value \"{Clip(parts[i])}\" is not a finite number");
        }

        return r;
    }

    public static bool IsTrue(string? text) => text is not null && (text.Equals("True", StringComparison.OrdinalIgnoreCase) || text == "1");

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
