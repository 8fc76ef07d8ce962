namespace MRISpineSeg.Imaging.Volumes;

/// <summary>Facts about <see cref="VoxelType"/>: sizes, names and the CLR type behind each.</summary>
public static class VoxelTypes
{
    public static int SizeOf(VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.UInt32 or VoxelType.Float32 => 4,
        VoxelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The lower-case numpy-style name (<c>uint8</c>, <c>float32</c>, ...), used in the CLI and JSON.</summary>
    public static string Name(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "uint8",
        VoxelType.Int8 => "int8",
        VoxelType.Int16 => "int16",
        VoxelType.UInt16 => "uint16",
        VoxelType.Int32 => "int32",
        VoxelType.UInt32 => "uint32",
        VoxelType.Float32 => "float32",
        VoxelType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsInteger(VoxelType type) => type is not (VoxelType.Float32 or VoxelType.Float64);

    public static bool TryParse(string name, out VoxelType type)
    {
        foreach (var t in Enum.GetValues<VoxelType>())
        {
            if (string.Equals(Name(t), name, StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The <see cref="VoxelType"/> for a CLR element type.</summary>
    public static VoxelType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return VoxelType.UInt8;
        if (typeof(T) == typeof(sbyte)) return VoxelType.Int8;
        if (typeof(T) == typeof(short)) return VoxelType.Int16;
        if (typeof(T) == typeof(ushort)) return VoxelType.UInt16;
        if (typeof(T) == typeof(int)) return VoxelType.Int32;
        if (typeof(T) == typeof(uint)) return VoxelType.UInt32;
        if (typeof(T) == typeof(float)) return VoxelType.Float32;
        if (typeof(T) == typeof(double)) return VoxelType.Float64;
        throw new NotSupportedException($"{typeof(T).Name} is not a voxel element type.");
    }

    /// <summary>Smallest and largest value the type holds, as doubles.</summary>
    public static (double Min, double Max) Range(VoxelType type) => type switch
    {
        VoxelType.UInt8 => (byte.MinValue, byte.MaxValue),
        VoxelType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        VoxelType.Int16 => (short.MinValue, short.MaxValue),
        VoxelType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        VoxelType.Int32 => (int.MinValue, int.MaxValue),
        VoxelType.UInt32 => (uint.MinValue, uint.MaxValue),
        VoxelType.Float32 => (float.MinValue, float.MaxValue),
        VoxelType.Float64 => (double.MinValue, double.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
