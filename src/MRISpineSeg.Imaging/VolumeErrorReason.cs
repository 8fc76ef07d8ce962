namespace MRISpineSeg.Imaging;

/// <summary>Why a volume could not be read or written. Every reason is permanent: retrying the same bytes gives the same answer.</summary>
public enum VolumeErrorReason
{
    /// <summary>The file has no bytes.</summary>
    EmptyFile,

    /// <summary>Neither the extension nor the magic bytes say NIfTI or MetaImage.</summary>
    UnknownFormat,

    /// <summary>The header ends before all its fields were read.</summary>
    TruncatedHeader,

    /// <summary>The voxel data ends before dims × bitpix bytes were read.</summary>
    TruncatedData,

    /// <summary>More data follows the voxels than the header declares (also a guard against gzip bombs).</summary>
    TrailingData,

    /// <summary>The gzip or zlib stream is damaged.</summary>
    CorruptCompression,

    /// <summary>A header field holds a value that no valid file has (dim[0], sizeof_hdr, magic, a negative size, ...).</summary>
    InvalidHeader,

    /// <summary>The element type is not one of uint8, int8, int16, uint16, int32, uint32, float32, float64.</summary>
    UnsupportedDataType,

    /// <summary>A 4-D file with more than one time point, or more than 4 dimensions with extent above 1.</summary>
    UnsupportedDimensions,

    /// <summary>The decoded voxels would exceed the configured memory limit.</summary>
    TooLarge,

    /// <summary>The scaling is unusable (a valid slope with a non-finite intercept).</summary>
    InvalidScaling,

    /// <summary>A value cannot be represented exactly in the requested element type (e.g. 2.5 read as uint8).</summary>
    ValueNotRepresentable,

    /// <summary>A valid file uses a feature this reader does not implement; the message names it.</summary>
    UnsupportedFeature,
}
