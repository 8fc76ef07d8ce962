using MRISpineSeg.Imaging;

namespace MRISpineSeg.Segmentation.Batch;

/// <summary>
/// What a folder run will do, decided before anything is written: the scans to segment (in natural name order, so
/// <c>Case2</c> comes before <c>Case10</c>), where each one's outputs go, and a note for every entry it leaves alone
/// (a <c>mask_*</c> file, a sub-folder, a file that is not a volume). Refused with
/// <see cref="SegmentationErrorReason.InvalidRequest"/>: an output folder that is, or lies inside, the input folder; an
/// output that would overwrite an input; two scans that would write the same mask; a run with no scans at all.
/// </summary>
public sealed class BatchPlan
{
    private BatchPlan(string outputFolder, IReadOnlyList<BatchCase> cases, IReadOnlyList<string> notes)
    {
        OutputFolder = outputFolder;
        Cases = cases;
        Notes = notes;
    }

    public string OutputFolder { get; }

    public IReadOnlyList<BatchCase> Cases { get; }

    /// <summary>One line per entry that is not segmented, naming it and why.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Every scan at the top level of <paramref name="inputFolder"/>, into <paramref name="outputFolder"/>.</summary>
    public static BatchPlan FromFolder(string inputFolder, string outputFolder, BatchOutputs outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFolder);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        var input = Full(inputFolder);
        var output = Full(outputFolder);
        if (!Directory.Exists(input))
            throw Refused($"IN: \"{inputFolder}\" is not a folder");
        if (SameOrInside(output, input))
        {
            throw Refused(output == input
                ? $"OUT: \"{outputFolder}\" is the input folder itself; give a separate folder for the masks"
                : $"OUT: \"{outputFolder}\" lies inside the input folder \"{inputFolder}\"; a re-run would take the masks for scans. Give a folder outside it");
        }

        var entries = Directory.EnumerateFileSystemEntries(input).Order(NaturalOrder.Instance).ToList();
        var plan = Build(entries, output, outputs, Path.GetFileName(input.TrimEnd(Path.DirectorySeparatorChar)));
        if (plan.Cases.Count == 0)
            throw Refused($"IN: \"{inputFolder}\" holds no scans ({VolumeIO.SupportedExtensions}, names not starting mask_){NotesSuffix(plan.Notes)}");
        return plan;
    }

    /// <summary>The scans named, in the order given, into <paramref name="outputFolder"/>.</summary>
    public static BatchPlan FromFiles(IReadOnlyList<string> inputs, string outputFolder, BatchOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        foreach (var f in inputs)
        {
            if (!File.Exists(f))
                throw Refused($"IN: \"{f}\" does not exist or is not a file");
        }

        var plan = Build(inputs.Select(Full).ToList(), Full(outputFolder), outputs, folderName: null);
        if (plan.Cases.Count == 0)
            throw Refused($"IN: none of the {inputs.Count} files given is a scan ({VolumeIO.SupportedExtensions}, names not starting mask_){NotesSuffix(plan.Notes)}");
        return plan;
    }

    private static BatchPlan Build(List<string> entries, string output, BatchOutputs outputs, string? folderName)
    {
        if (File.Exists(output))
            throw Refused($"OUT: \"{output}\" is a file; a run over several scans writes into a folder");

        var notes = new List<string>();
        var masks = new List<string>();
        var cases = new List<BatchCase>();
        var inputs = new HashSet<string>(entries, PathComparer);
        var byMask = new Dictionary<string, string>(PathComparer);
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (Directory.Exists(entry))
            {
                notes.Add($"skipped {name}{Path.DirectorySeparatorChar}: a folder (only the top level{(folderName is null ? string.Empty : " of " + folderName)} is read)");
                continue;
            }

            if (!VolumeIO.IsVolumeFileName(name))
            {
                if (!IsMetaImageData(entry, inputs))
                    notes.Add($"skipped {name}: not a scan (give {VolumeIO.SupportedExtensions})");
                continue;
            }

            if (name.StartsWith("mask_", StringComparison.OrdinalIgnoreCase))
            {
                masks.Add(name);
                continue;
            }

            var stem = Path.Combine(output, VolumeIO.StripExtension(name));
            var c = new BatchCase(
                entry,
                stem + BatchOutputs.MaskSuffix,
                outputs.Preview ? stem + BatchOutputs.PreviewSuffix : null,
                outputs.Stats ? stem + BatchOutputs.StatsSuffix : null);
            if (byMask.TryGetValue(c.Mask, out var other))
                throw Refused($"IN: {Path.GetFileName(other)} and {name} would both write {Path.GetFileName(c.Mask)}; rename one or run them into different folders");
            byMask.Add(c.Mask, entry);
            cases.Add(c);
        }

        if (masks.Count > 0)
            notes.Insert(0, $"skipped {(masks.Count == 1 ? "1 mask" : $"{masks.Count} masks")} (mask_*, not scans): {string.Join(", ", masks)}");

        foreach (var written in cases.SelectMany(c => c.Outputs))
        {
            if (inputs.Contains(written) || inputs.Contains(MetaImageRaw(written)))
                throw Refused($"OUT: writing {written} would overwrite an input scan; give an output folder that holds no scans");
        }

        return new BatchPlan(output, cases, notes);
    }

    /// <summary>A <c>.raw</c>/<c>.zraw</c> beside a <c>.mhd</c> of the same stem is that scan's data, read with it.</summary>
    private static bool IsMetaImageData(string entry, HashSet<string> inputs)
    {
        var ext = Path.GetExtension(entry);
        return (ext.Equals(".raw", StringComparison.OrdinalIgnoreCase) || ext.Equals(".zraw", StringComparison.OrdinalIgnoreCase))
            && inputs.Contains(Path.ChangeExtension(entry, ".mhd"));
    }

    private static string MetaImageRaw(string path) => Path.ChangeExtension(path, ".raw");

    private static string NotesSuffix(IReadOnlyList<string> notes) => notes.Count == 0 ? string.Empty : "; " + string.Join("; ", notes);

    private static StringComparer PathComparer => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool SameOrInside(string path, string folder)
        => PathComparer.Equals(path, folder)
           || path.StartsWith(folder + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private static SegmentationException Refused(string message) => new(SegmentationErrorReason.InvalidRequest, message);

    /// <summary>Orders names ignoring letter case, with their digit runs compared as numbers: Case2 &lt; case3 &lt; Case10.</summary>
    private sealed class NaturalOrder : IComparer<string>
    {
        public static readonly NaturalOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return string.CompareOrdinal(x, y);
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    var si = i;
                    var sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                    while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                    var a = x.AsSpan(si, i - si).TrimStart('0');
                    var b = y.AsSpan(sj, j - sj).TrimStart('0');
                    if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                    var d = a.SequenceCompareTo(b);
                    if (d != 0) return d;
                }
                else
                {
                    var d = char.ToLowerInvariant(x[i]).CompareTo(char.ToLowerInvariant(y[j]));
                    if (d != 0) return d;
                    i++;
                    j++;
                }
            }

            var rest = (x.Length - i).CompareTo(y.Length - j);
            return rest != 0 ? rest : string.CompareOrdinal(x, y);
        }
    }
}
