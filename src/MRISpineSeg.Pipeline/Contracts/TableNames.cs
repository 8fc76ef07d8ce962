namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>Azure Table Storage tables of the pipeline.</summary>
public static class TableNames
{
    /// <summary>One row per job: state, reason, timings (served by <c>GET /api/jobs/{id}</c>).</summary>
    public const string Jobs = "jobs";

    /// <summary>The local host's receipts: which blob (by ETag) it has already handed to a handler.</summary>
    public const string Receipts = "receipts";

    public static readonly IReadOnlyList<string> All = [Jobs, Receipts];
}
