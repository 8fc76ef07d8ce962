namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// A set of label masks, one per case: a folder, an extracted zip, or whatever a host downloads. Disposing releases
/// any temporary files. Case ids are unique within a source.
/// </summary>
public interface ISubmissionSource : IDisposable
{
    /// <summary>What the user called it (a path or blob name), quoted in errors.</summary>
    string Description { get; }

    /// <summary>The masks, ordered by case id.</summary>
    IReadOnlyList<MaskFile> Masks { get; }
}
