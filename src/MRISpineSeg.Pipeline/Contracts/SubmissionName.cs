namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>A submission's identity, from <c>submissions/&lt;team&gt;/&lt;id&gt;.zip</c>.</summary>
public sealed record SubmissionName(string Team, string Id)
{
    public string BlobName => $"{Team}/{Id}.zip";
}
