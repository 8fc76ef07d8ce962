namespace MRISpineSeg.Imaging.Nifti;

/// <summary>
/// Every field of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header, widened to the NIfTI-2 types so one record serves
/// both. Arrays are never mutated after construction; derive changed headers with <c>with</c> and fresh arrays.
/// <para>
/// Units follow <see cref="XyztUnits"/> (normally mm and s). <see cref="Pixdim"/>[0] is qfac (±1). Geometry is derived in
/// <see cref="NiftiGeometry"/>; this type only carries the stored values.
/// </para>
/// </summary>
public sealed record NiftiHeader
{
    /// <summary>1 or 2.</summary>
    public int Version { get; init; } = 1;

    /// <summary>True when the file was big-endian. Writers always produce little-endian.</summary>
    public bool WasBigEndian { get; init; }

    /// <summary>"n+1" (single file), "ni1" (pair), "n+2" or "ni2".</summary>
    public string Magic { get; init; } = "n+1";

    public short DataType { get; init; }

    public short BitPix { get; init; }

    /// <summary>dim[0..7]: dim[0] is the number of dimensions.</summary>
    public long[] Dim { get; init; } = [3, 1, 1, 1, 1, 1, 1, 1];

    public double IntentP1 { get; init; }

    public double IntentP2 { get; init; }

    public double IntentP3 { get; init; }

    public int IntentCode { get; init; }

    public string IntentName { get; init; } = string.Empty;

    /// <summary>pixdim[0..7]: pixdim[0] is qfac, pixdim[1..3] voxel size, pixdim[4] TR.</summary>
    public double[] Pixdim { get; init; } = [1, 1, 1, 1, 0, 0, 0, 0];

    /// <summary>Byte offset of the voxel data in a single-file NIfTI.</summary>
    public long VoxOffset { get; init; }

    public double SclSlope { get; init; }

    public double SclInter { get; init; }

    public double CalMax { get; init; }

    public double CalMin { get; init; }

    public double SliceDuration { get; init; }

    public double TOffset { get; init; }

    public long SliceStart { get; init; }

    public long SliceEnd { get; init; }

    public int SliceCode { get; init; }

    public int XyztUnits { get; init; }

    public byte DimInfo { get; init; }

    public string Descrip { get; init; } = string.Empty;

    public string AuxFile { get; init; } = string.Empty;

    public int QformCode { get; init; }

    public int SformCode { get; init; }

    public double QuaternB { get; init; }

    public double QuaternC { get; init; }

    public double QuaternD { get; init; }

    public double QOffsetX { get; init; }

    public double QOffsetY { get; init; }

    public double QOffsetZ { get; init; }

    public double[] SrowX { get; init; } = [1, 0, 0, 0];

    public double[] SrowY { get; init; } = [0, 1, 0, 0];

    public double[] SrowZ { get; init; } = [0, 0, 1, 0];

    /// <summary>NIfTI-1 legacy Analyze fields, kept for a faithful round trip.</summary>
    public NiftiLegacyFields Legacy { get; init; } = new();

    public IReadOnlyList<NiftiExtension> Extensions { get; init; } = [];

    /// <summary>Size of the fixed header: 348 or 540 bytes.</summary>
    public int HeaderSize => Version == 2 ? 540 : 348;

    /// <summary>The number of dimensions, dim[0].</summary>
    public int NDim => (int)Dim[0];

    /// <summary>
    /// This header as it should be for a label mask on the same grid (docs/design.md §3): datatype uint8, bitpix 8, slope 1,
    /// intercept 0, cal range cleared; dims, pixdim, qform/sform with codes and xyzt_units untouched.
    /// </summary>
    public NiftiHeader ForMask() => this with
    {
        DataType = NiftiDataType.UInt8,
        BitPix = 8,
        SclSlope = 1,
        SclInter = 0,
        CalMin = 0,
        CalMax = 0,
    };
}
