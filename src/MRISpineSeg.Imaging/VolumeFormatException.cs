namespace MRISpineSeg.Imaging;

/// <summary>
/// The single exception of the imaging layer: a file that is not a usable volume, or a volume that cannot be written.
/// The message names the file, the header field and the value, and says what would be valid.
/// It is never transient: the same bytes always give the same error, so a pipeline dead-letters rather than retries.
/// </summary>
public sealed class VolumeFormatException : Exception
{
    public VolumeFormatException(VolumeErrorReason reason, string? fileName, string field, string problem, Exception? inner = null)
        : base(Format(fileName, field, problem), inner)
    {
        Reason = reason;
        FileName = fileName;
        Field = field;
    }

    public VolumeErrorReason Reason { get; }

    /// <summary>The file (or blob) name, when known.</summary>
    public string? FileName { get; }

    /// <summary>The header field or part of the file at fault, e.g. <c>dim[0]</c>, <c>datatype</c>, <c>voxel data</c>.</summary>
    public string Field { get; }

    /// <summary>Always false: malformed input does not heal on retry.</summary>
    public bool IsTransient => false;

    private static string Format(string? fileName, string field, string problem)
        => $"{(string.IsNullOrEmpty(fileName) ? "<stream>" : fileName)}: {field}: {problem}";
}
