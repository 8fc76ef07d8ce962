using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.MetaImage;

/// <summary>MetaIO <c>ElementType</c> names for the supported voxel types.</summary>
internal static class MetaElementType
{
    public const string SupportedList = "MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_UINT, MET_FLOAT, MET_DOUBLE";

    public static bool TryParse(string? name, out VoxelType type)
    {
        switch (name?.ToUpperInvariant())
        {
            case "MET_UCHAR": type = VoxelType.UInt8; return true;
            case "MET_CHAR": type = VoxelType.Int8; return true;
            case "MET_SHORT": type = VoxelType.Int16; return true;
            case "MET_USHORT": type = VoxelType.UInt16; return true;
            case "MET_INT": type = VoxelType.Int32; return true;
            case "MET_UINT": type = VoxelType.UInt32; return true;
            case "MET_FLOAT": type = VoxelType.Float32; return true;
            case "MET_DOUBLE": type = VoxelType.Float64; return true;
            default: type = default; return false;
        }
    }

    public static string Name(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "MET_UCHAR",
        VoxelType.Int8 => "MET_CHAR",
        VoxelType.Int16 => "MET_SHORT",
        VoxelType.UInt16 => "MET_USHORT",
        VoxelType.Int32 => "MET_INT",
        VoxelType.UInt32 => "MET_UINT",
        VoxelType.Float32 => "MET_FLOAT",
        VoxelType.Float64 => "MET_DOUBLE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
