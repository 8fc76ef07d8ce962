using MRISpineSeg.Imaging;

namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>
/// Where every output lives, derived from the input's name only, so any host finds any output without a lookup.
/// <list type="bullet">
/// <item><c>scans/&lt;dir/&gt;Case3.nii.gz</c> → <c>masks/&lt;dir/&gt;Case3.nii.gz</c>, <c>Case3.preview.png</c>, <c>Case3.stats.json</c>, or <c>Case3.error.json</c>.</item>
/// <item><c>submissions/&lt;team&gt;/&lt;id&gt;.zip</c> → <c>scores/&lt;team&gt;/&lt;id&gt;.json</c> and <c>.html</c>, or <c>.error.json</c>.</item>
/// <item><c>leaderboard/leaderboard.json</c> and <c>leaderboard/leaderboard.html</c>.</item>
/// </list>
/// </summary>
public static class BlobLayout
{
    public const string LeaderboardJson = "leaderboard.json";
    public const string LeaderboardHtml = "leaderboard.html";

    /// <summary>Blob metadata key on a mask: the ETag of the scan version it was computed from.</summary>
    public const string SourceETagMetadata = "sourceetag";

    /// <summary>Blob metadata key on outputs: the job that wrote them.</summary>
    public const string JobIdMetadata = "jobid";

    /// <summary>Blob metadata key on a score: the challenge mean Dice (invariant "R" format, or <c>null</c>).</summary>
    public const string ChallengeMeanMetadata = "challengemean";

    /// <summary>Blob metadata key on a score: the number of cases scored.</summary>
    public const string CaseCountMetadata = "cases";

    /// <summary>Blob metadata key on outputs: the model that produced them.</summary>
    public const string ModelIdMetadata = "modelid";

    /// <summary>The metadata every blob a job writes carries: the source scan's ETag (unquoted), the job id and the model id.</summary>
    public static Dictionary<string, string> JobMetadata(JobMessage job) => new()
    {
        [SourceETagMetadata] = job.ETag.Trim('"'),
        [JobIdMetadata] = job.JobId,
        [ModelIdMetadata] = job.ModelId,
    };

    /// <summary>The longest blob name Azure Storage accepts.</summary>
    public const int MaxNameLength = 1024;

    private const int MaxSegmentLength = 64;

    /// <summary>The longest suffix an output adds to a scan's stem (<c>.preview.png</c>).</summary>
    private static readonly int LongestOutputSuffix = new[] { MaskSuffix, PreviewSuffix, StatsSuffix, ErrorSuffix }.Max(x => x.Length);

    private const string MaskSuffix = ".nii.gz";
    private const string PreviewSuffix = ".preview.png";
    private const string StatsSuffix = ".stats.json";
    private const string ErrorSuffix = ".error.json";

    /// <summary>Folder (in <c>masks</c>) of the error reports for scans whose own names cannot be used to build one.</summary>
    public const string RejectedFolder = "_rejected/";

    /// <summary>
    /// Why <paramref name="blobName"/> cannot be used as a path inside a container, or null when it can: it must be 1 to
    /// <paramref name="maxLength"/> characters of '/'-separated, non-empty parts, none of them <c>.</c> or <c>..</c>,
    /// with no backslash and no control character. Storage services resolve <c>..</c> in a blob URL, so such a name
    /// would reach another container; this is the check that keeps every name inside its own.
    /// </summary>
    public static string? PathProblem(string? blobName, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrEmpty(blobName)) return "a blob name must not be empty";
        if (blobName.Length > maxLength) return $"the name is {blobName.Length} characters; at most {maxLength} are allowed here";
        foreach (var c in blobName)
        {
            if (char.IsControl(c)) return $"the name holds the control character U+{(int)c:X4}; use printable characters only";
            if (c == '\\') return "the name holds a backslash; separate folders with '/'";
        }

        if (blobName[0] == '/') return "the name starts with '/'; give it relative to the container, e.g. site/Case3.nii.gz";
        foreach (var part in blobName.Split('/'))
        {
            if (part.Length == 0) return "the name has an empty part ('//' or a trailing '/'); give a path of non-empty '/'-separated parts";
            if (part is "." or "..") return $"the name has a '{part}' part, which would leave its folder or container; give a plain path such as site/Case3.nii.gz";
        }

        return null;
    }

    /// <summary>Throws <see cref="PipelineErrorReason.InvalidBlobName"/> when <see cref="PathProblem"/> finds one.</summary>
    public static void ValidatePath(string? blobName)
    {
        if (PathProblem(blobName) is { } problem) throw BadName(blobName, problem);
    }

    /// <summary>
    /// Accepts the scan names the worker can read from one blob: <c>.nii</c>, <c>.nii.gz</c>, <c>.mha</c>
    /// (a <c>.mhd</c> needs a second data file, so it is refused with the alternative named), whose every output name
    /// (stem plus <c>.preview.png</c>, the longest suffix) is still a valid path (<see cref="PathProblem"/>).
    /// </summary>
    public static void ValidateScanName(string blobName)
    {
        if (PathProblem(blobName) is { } problem) throw BadName(blobName, problem);
        if (blobName.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase))
            throw BadName(blobName, "a .mhd header needs its separate .raw file; upload a single-file .mha, .nii or .nii.gz instead");
        if (!VolumeIO.IsVolumeFileName(blobName))
            throw BadName(blobName, "a scan must end in .nii, .nii.gz or .mha");
        var longest = Stem(blobName).Length + LongestOutputSuffix;
        if (longest > MaxNameLength)
            throw BadName(blobName, $"its outputs' names would be {longest} characters (stem + {PreviewSuffix}); shorten the name to at most {MaxNameLength - LongestOutputSuffix} characters before the extension");
    }

    /// <summary>The name with its volume extension removed (<c>site/Case3.nii.gz</c> → <c>site/Case3</c>).</summary>
    public static string Stem(string scanName) => VolumeIO.StripExtension(scanName);

    /// <summary>The mask of a valid scan name (<see cref="ValidateScanName"/> is applied, so no output escapes <c>masks</c>).</summary>
    public static string MaskName(string scanName) => Output(scanName, MaskSuffix);

    public static string PreviewName(string scanName) => Output(scanName, PreviewSuffix);

    public static string StatsName(string scanName) => Output(scanName, StatsSuffix);

    /// <summary>
    /// Where a failed scan's reason is written (in <c>masks</c>), for any name, valid or not: beside its mask when the name
    /// is a safe path, else <c>_rejected/&lt;sha-256 of the name&gt;.error.json</c>, so a hostile name can never choose
    /// where the report lands.
    /// </summary>
    public static string ScanErrorName(string scanName)
    {
        var stem = VolumeIO.IsVolumeFileName(scanName) ? Stem(scanName) : scanName;
        if (PathProblem(scanName) is null && PathProblem(stem + ErrorSuffix) is null && !stem.StartsWith(RejectedFolder, StringComparison.Ordinal))
            return stem + ErrorSuffix;
        return RejectedFolder + Hash(scanName) + ErrorSuffix;
    }

    private static string Output(string scanName, string suffix)
    {
        ValidateScanName(scanName);
        return Stem(scanName) + suffix;
    }

    /// <summary>
    /// The error report that stands for an output that will not come: <c>masks/&lt;stem&gt;.error.json</c> for a scan's
    /// mask, preview or stats, <c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c> for a score; null for other containers.
    /// </summary>
    public static string? ErrorNameFor(string container, string outputName) => container switch
    {
        ContainerNames.Masks => ScanErrorName(WithoutSuffix(outputName, ".preview.png", ".stats.json")),
        ContainerNames.Scores => WithoutSuffix(outputName, ".json", ".html") + ".error.json",
        _ => null,
    };

    /// <summary>The scan stem an output in <c>masks</c> belongs to (<c>site/Case3.preview.png</c> → <c>site/Case3</c>).</summary>
    public static string ScanStemOfOutput(string outputName) => WithoutSuffix(outputName, PreviewSuffix, StatsSuffix, ErrorSuffix, MaskSuffix);

    /// <summary>The submission a score output answers for (<c>team/run1.json</c> → <c>team/run1.zip</c>), or null for other names.</summary>
    public static string? SubmissionOfScore(string scoreName)
        => scoreName.EndsWith(".json", StringComparison.Ordinal) || scoreName.EndsWith(".html", StringComparison.Ordinal)
            ? WithoutSuffix(scoreName, ErrorSuffix, ".json", ".html") + ".zip"
            : null;

    private static string WithoutSuffix(string name, params string[] suffixes)
    {
        foreach (var s in suffixes)
        {
            if (name.EndsWith(s, StringComparison.Ordinal)) return name[..^s.Length];
        }

        return name;
    }

    /// <summary>Splits <c>&lt;team&gt;/&lt;id&gt;.zip</c>; team and id are 1..64 of [A-Za-z0-9._-], not starting with a dot.</summary>
    public static SubmissionName ParseSubmission(string blobName)
    {
        var parts = (blobName ?? string.Empty).Split('/');
        if (parts.Length != 2 || !parts[1].EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            throw BadName(blobName, "a submission must be uploaded as <team>/<id>.zip, e.g. team-a/run1.zip");
        var team = parts[0];
        var id = parts[1][..^4];
        ValidateSegment(blobName!, team, "team");
        ValidateSegment(blobName!, id, "submission id");
        return new SubmissionName(team, id);
    }

    public static string ScoreJsonName(SubmissionName s) => $"{s.Team}/{s.Id}.json";

    public static string ScoreHtmlName(SubmissionName s) => $"{s.Team}/{s.Id}.html";

    public static string ScoreErrorName(SubmissionName s) => $"{s.Team}/{s.Id}.error.json";

    /// <summary>Where the report for a submission whose name is not <c>&lt;team&gt;/&lt;id&gt;.zip</c> goes (in <c>scores</c>): a name the sender cannot choose.</summary>
    public static string RejectedSubmissionErrorName(string blobName) => RejectedFolder + Hash(blobName) + ErrorSuffix;

    private static string Hash(string? name) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name ?? string.Empty)));

    private static void ValidateSegment(string blobName, string value, string what)
    {
        if (value.Length is 0 or > MaxSegmentLength || value[0] == '.')
            throw BadName(blobName, $"the {what} \"{value}\" must be 1..{MaxSegmentLength} characters and not start with '.'");
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                throw BadName(blobName, $"the {what} \"{value}\" may only hold letters, digits, '-', '_' and '.'");
        }
    }

    private static PipelineException BadName(string? blobName, string problem)
        => new(PipelineErrorReason.InvalidBlobName, $"blob \"{blobName}\": {problem}");
}
