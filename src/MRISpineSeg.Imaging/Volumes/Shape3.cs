namespace MRISpineSeg.Imaging.Volumes;

/// <summary>
/// Extents of a 3-D voxel grid in NIfTI axis order: X is NIfTI axis 0 (fastest in memory), Z is axis 2
/// (the sagittal slice axis in MRSpineSeg files).
/// </summary>
public readonly record struct Shape3(int X, int Y, int Z)
{
    /// <summary>Number of voxels, as a long so that products never overflow.</summary>
    public long Count => (long)X * Y * Z;

    /// <summary>Linear index of (x, y, z) with x fastest.</summary>
    public int Index(int x, int y, int z) => x + (X * (y + (Y * z)));

    public int this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>Parses <c>X,Y,Z</c> with positive integers; returns false otherwise.</summary>
    public static bool TryParse(string? text, out Shape3 shape)
    {
        shape = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3) return false;
        Span<int> v = stackalloc int[3];
        for (var i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v[i]) || v[i] <= 0)
                return false;
        }

        shape = new Shape3(v[0], v[1], v[2]);
        return true;
    }

    public override string ToString() => $"{X}x{Y}x{Z}";
}
