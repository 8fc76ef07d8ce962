namespace MRISpineSeg.Imaging.Nifti;

/// <summary>Unused Analyze 7.5 fields of a NIfTI-1 header (data_type, db_name, extents, session_error, regular, glmax, glmin).</summary>
public sealed record NiftiLegacyFields
{
    public byte[] DataTypeName { get; init; } = new byte[10];

    public byte[] DbName { get; init; } = new byte[18];

    public int Extents { get; init; }

    public short SessionError { get; init; }

    public byte Regular { get; init; }

    public int GlMax { get; init; }

    public int GlMin { get; init; }
}
