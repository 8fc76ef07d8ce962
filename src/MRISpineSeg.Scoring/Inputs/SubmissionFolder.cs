namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// Masks in a folder, at its top level or (as a zip commonly unpacks) inside exactly one sub-folder. Other files
/// (readme, .raw data of a .mhd) are ignored; a volume whose name has no case id is an error.
/// </summary>
public sealed class SubmissionFolder : ISubmissionSource
{
    private readonly Action? onDispose;

    private SubmissionFolder(string description, IReadOnlyList<MaskFile> masks, Action? onDispose)
    {
        Description = description;
        Masks = masks;
        this.onDispose = onDispose;
    }

    public string Description { get; }

    public IReadOnlyList<MaskFile> Masks { get; }

    /// <summary>Lists a folder. <paramref name="description"/> is the name errors quote (defaults to the folder).</summary>
    public static SubmissionFolder Open(string folder, string? description = null)
        => Open(folder, description ?? folder, null);

    internal static SubmissionFolder Open(string folder, string description, Action? onDispose)
    {
        if (!Directory.Exists(folder))
            throw new ScoringException(ScoringErrorReason.SourceNotFound, $"{description}: no such folder");
        var root = Path.GetFullPath(folder);
        var dir = FindMaskFolder(root, description);
        var masks = new List<MaskFile>();
        var bad = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            var name = Path.GetFileName(path);
            if (IsJunk(name) || !Imaging.VolumeIO.IsVolumeFileName(name)) continue;
            var shown = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (CaseNames.TryParse(name, out var id)) masks.Add(new MaskFile(id, shown, path));
            else bad.Add(shown);
        }

        if (bad.Count > 0)
        {
            bad.Sort(StringComparer.Ordinal);
            throw new ScoringException(ScoringErrorReason.InvalidLayout, $"{description}: cannot tell the case of {string.Join(", ", bad)}; name masks Case{{N}} or mask_case{{N}} plus {Imaging.VolumeIO.SupportedExtensions}");
        }

        if (masks.Count == 0)
            throw new ScoringException(ScoringErrorReason.InvalidLayout, $"{description}: holds no masks; expected files named Case{{N}} or mask_case{{N}} ({Imaging.VolumeIO.SupportedExtensions}) at the top level or inside one folder");
        masks.Sort((a, b) => a.CaseId != b.CaseId ? a.CaseId.CompareTo(b.CaseId) : string.CompareOrdinal(a.Name, b.Name));
        var dups = new List<string>();
        for (var i = 1; i < masks.Count; i++)
        {
            if (masks[i].CaseId == masks[i - 1].CaseId) dups.Add($"{CaseNames.Display(masks[i].CaseId)} ({masks[i - 1].Name}, {masks[i].Name})");
        }

        if (dups.Count > 0)
            throw new ScoringException(ScoringErrorReason.DuplicateCase, $"{description}: more than one mask for {string.Join("; ", dups.Distinct())}; keep one file per case");
        return new SubmissionFolder(description, masks, onDispose);
    }

    public void Dispose() => onDispose?.Invoke();

    /// <summary>macOS resource forks and hidden files are not masks.</summary>
    internal static bool IsJunk(string name) => name.StartsWith('.') || name.Equals("__MACOSX", StringComparison.Ordinal);

    private static string FindMaskFolder(string root, string description)
    {
        if (Directory.EnumerateFiles(root).Any(f => Imaging.VolumeIO.IsVolumeFileName(f) && !IsJunk(Path.GetFileName(f)))) return root;
        var subs = Directory.EnumerateDirectories(root).Where(d => !IsJunk(Path.GetFileName(d))).ToList();
        var withMasks = subs.Where(d => Directory.EnumerateFiles(d).Any(f => Imaging.VolumeIO.IsVolumeFileName(f) && !IsJunk(Path.GetFileName(f)))).ToList();
        if (withMasks.Count > 1)
        {
            var names = withMasks.Select(d => Path.GetFileName(d) + "/").Order(StringComparer.Ordinal);
            throw new ScoringException(ScoringErrorReason.InvalidLayout, $"{description}: masks are spread over several folders ({string.Join(", ", names)}); put them at the top level or inside one folder");
        }

        return withMasks.Count == 1 ? withMasks[0] : root;
    }
}
