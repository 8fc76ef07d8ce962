namespace MRISpineSeg.Segmentation.Batch;

/// <summary>
/// One scan of a folder run and the files it produces: <c>OUT/&lt;stem&gt;.nii.gz</c>, and when asked
/// <c>&lt;stem&gt;.preview.png</c> and <c>&lt;stem&gt;.stats.json</c> beside it (the names the cloud pipeline gives
/// the same outputs, so a folder of masks can be zipped and submitted as it is).
/// </summary>
public sealed record BatchCase(string Input, string Mask, string? Preview, string? Stats)
{
    /// <summary>The scan's file name, as reports show it.</summary>
    public string Name => Path.GetFileName(Input);

    /// <summary>Every file this case writes.</summary>
    public IEnumerable<string> Outputs
    {
        get
        {
            yield return Mask;
            if (Preview is not null) yield return Preview;
            if (Stats is not null) yield return Stats;
        }
    }

    /// <summary>True when every output already exists (a re-run skips such a case unless told to overwrite).</summary>
    public bool IsComplete => Outputs.All(File.Exists);
}
