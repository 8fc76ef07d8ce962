using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Nifti;

/// <summary>NIfTI datatype codes for the element types this product supports.</summary>
public static class NiftiDataType
{
    public const short UInt8 = 2;
    public const short Int16 = 4;
    public const short Int32 = 8;
    public const short Float32 = 16;
    public const short Float64 = 64;
    public const short Int8 = 256;
    public const short UInt16 = 512;
    public const short UInt32 = 768;

    /// <summary>What a user may send, for error messages.</summary>
    public const string SupportedList = "2 uint8, 4 int16, 8 int32, 16 float32, 64 float64, 256 int8, 512 uint16, 768 uint32";

    public static bool TryToVoxelType(short code, out VoxelType type)
    {
        switch (code)
        {
            case UInt8: type = VoxelType.UInt8; return true;
            case Int8: type = VoxelType.Int8; return true;
            case Int16: type = VoxelType.Int16; return true;
            case UInt16: type = VoxelType.UInt16; return true;
            case Int32: type = VoxelType.Int32; return true;
            case UInt32: type = VoxelType.UInt32; return true;
            case Float32: type = VoxelType.Float32; return true;
            case Float64: type = VoxelType.Float64; return true;
            default: type = default; return false;
        }
    }

    public static short FromVoxelType(VoxelType type) => type switch
    {
        VoxelType.UInt8 => UInt8,
        VoxelType.Int8 => Int8,
        VoxelType.Int16 => Int16,
        VoxelType.UInt16 => UInt16,
        VoxelType.Int32 => Int32,
        VoxelType.UInt32 => UInt32,
        VoxelType.Float32 => Float32,
        VoxelType.Float64 => Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>A readable name for any code, including the ones we refuse.</summary>
    public static string Describe(short code) => code switch
    {
        0 => "0 (unknown)",
        1 => "1 (binary)",
        32 => "32 (complex64)",
        128 => "128 (RGB24)",
        1024 => "1024 (int64)",
        1280 => "1280 (uint64)",
        1536 => "1536 (float128)",
        1792 => "1792 (complex128)",
        2048 => "2048 (complex256)",
        2304 => "2304 (RGBA32)",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
