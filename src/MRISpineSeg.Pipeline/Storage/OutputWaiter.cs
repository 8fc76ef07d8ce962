using Azure;
using Azure.Storage.Blobs.Models;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// Waits for the pipeline's answer to an upload: an output in <c>masks</c> (a scan's mask, preview or stats) or
/// <c>scores</c> (a submission's score), or the error report that stands in its place. The protocol:
/// <list type="bullet">
/// <item>an output counts only when its source ETag metadata names the current version of its input (the scan with
/// the same stem in <c>scans</c>, the zip in <c>submissions</c>); one made from an earlier upload is not an answer;</item>
/// <item>the input's <c>.error.json</c> for that version fails the wait at once with the report's reason;</item>
/// <item>when the input cannot be told (an output name with no scan or submission behind it), any version counts.</item>
/// </list>
/// Blobs are looked at every <see cref="PollInterval"/>; after the timeout the wait fails naming what is missing.
/// </summary>
public sealed class OutputWaiter(PipelineStorage storage)
{
    /// <summary>How often the blobs are looked at (a second: the local host itself lists containers every second).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Returns when every blob of <paramref name="names"/> in <paramref name="container"/> exists for the current version
    /// of its input, calling <paramref name="onReady"/> for each as it appears.
    /// </summary>
    /// <exception cref="PipelineException">An error report for the current version appeared (<see cref="PipelineErrorReason.InvalidUpload"/>, with its reason and message).</exception>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed; the message names the blobs still missing.</exception>
    public async Task WaitAsync(string container, IEnumerable<string> names, TimeSpan timeout, Func<string, Task>? onReady = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(container);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var pending = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var name in pending) BlobLayout.ValidatePath(name); // '..' would look into another container
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            foreach (var name in pending.ToArray())
            {
                var current = await CurrentSourceAsync(container, name, cancellationToken).ConfigureAwait(false);
                var props = await storage.TryGetPropertiesAsync(container, name, cancellationToken).ConfigureAwait(false);
                if (props is not null && IsFrom(props.Metadata, current))
                {
                    pending.Remove(name);
                    if (onReady is not null) await onReady(name).ConfigureAwait(false);
                    continue;
                }

                await FailOnErrorReportAsync(container, name, current, cancellationToken).ConfigureAwait(false);
            }

            if (pending.Count == 0) return;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"waited {timeout.TotalSeconds:0.#} s; still missing in {container}: {string.Join(", ", pending.Order(StringComparer.Ordinal))} (is 'spineseg local up' running?)");
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when an output's source ETag names <paramref name="current"/> (or the current version is unknown).</summary>
    private static bool IsFrom(IDictionary<string, string> metadata, string? current)
        => current is null || (metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var source) && source == current);

    /// <summary>
    /// The ETag (unquoted) of the input an output answers for: the scan whose stem it shares in <c>scans</c>, or the
    /// submission zip in <c>submissions</c>; null when it cannot be told (then any version counts).
    /// </summary>
    private async Task<string?> CurrentSourceAsync(string container, string outputName, CancellationToken cancellationToken)
    {
        if (container == ContainerNames.Scores)
        {
            if (BlobLayout.SubmissionOfScore(outputName) is not { } submission) return null;
            var sub = await storage.TryGetPropertiesAsync(ContainerNames.Submissions, submission, cancellationToken).ConfigureAwait(false);
            return sub?.ETag.ToString().Trim('"');
        }

        if (container != ContainerNames.Masks) return null;
        var scanStem = BlobLayout.ScanStemOfOutput(outputName);
        await foreach (var scan in storage.Container(ContainerNames.Scans).GetBlobsAsync(new GetBlobsOptions { Prefix = scanStem + "." }, cancellationToken).ConfigureAwait(false))
        {
            if (Imaging.VolumeIO.IsVolumeFileName(scan.Name) && BlobLayout.Stem(scan.Name) == scanStem) return scan.Properties.ETag?.ToString().Trim('"');
        }

        return null;
    }

    private async Task FailOnErrorReportAsync(string container, string name, string? current, CancellationToken cancellationToken)
    {
        if (BlobLayout.ErrorNameFor(container, name) is not { } errorName) return;
        var props = await storage.TryGetPropertiesAsync(container, errorName, cancellationToken).ConfigureAwait(false);
        if (props is null || !IsFrom(props.Metadata, current)) return; // none, or about an earlier version: keep waiting
        BinaryData content;
        try
        {
            content = (await storage.Container(container).GetBlobClient(errorName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return; // removed meanwhile (a newer upload took it back): keep waiting
        }

        var report = ErrorReport.TryParse(content);
        throw new PipelineException(
            PipelineErrorReason.InvalidUpload,
            report is null ? $"{container}/{errorName}: an error report this build cannot read" : $"{container}/{errorName}: {report.Reason}: {report.Message}");
    }
}
