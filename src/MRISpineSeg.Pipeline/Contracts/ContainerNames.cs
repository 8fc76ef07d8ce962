namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>
/// The blob containers of the pipeline (docs/design.md §6). <see cref="GroundTruth"/> is private: it is read by the
/// scorer only and never written to or exposed by any output.
/// </summary>
public static class ContainerNames
{
    public const string Scans = "scans";
    public const string Masks = "masks";
    public const string Submissions = "submissions";
    public const string Scores = "scores";
    public const string Leaderboard = "leaderboard";
    public const string GroundTruth = "ground-truth";

    /// <summary>Organisers only: the full per-case score reports (teams see aggregates in <see cref="Scores"/>).</summary>
    public const string ScoresPrivate = "scores-private";

    /// <summary>ONNX models a worker with <c>ModelSource=blob</c> downloads at start (infra creates it; not a pipeline output).</summary>
    public const string Models = "models";

    /// <summary>Every container, in the order a setup script creates them.</summary>
    public static readonly IReadOnlyList<string> All = [Scans, Masks, Submissions, Scores, Leaderboard, GroundTruth, ScoresPrivate];
}
