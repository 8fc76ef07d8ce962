namespace MRISpineSeg.Scoring.Inputs;

/// <summary>Opens a submission given as a folder or a <c>.zip</c> file.</summary>
public static class SubmissionSources
{
    public static async Task<ISubmissionSource> OpenAsync(string path, ArchiveLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return SubmissionFolder.Open(path);
        if (File.Exists(path))
        {
            return SubmissionArchive.IsZipFileName(path)
                ? await SubmissionArchive.ExtractAsync(path, limits, cancellationToken).ConfigureAwait(false)
                : throw new ScoringException(ScoringErrorReason.SourceNotFound, $"{path}: is a file but not a .zip; give a folder of masks or a .zip of them");
        }

        throw new ScoringException(ScoringErrorReason.SourceNotFound, $"{path}: no such folder or .zip");
    }
}
