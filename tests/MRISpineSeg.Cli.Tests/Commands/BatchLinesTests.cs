using MRISpineSeg.Cli.Commands;
using MRISpineSeg.Segmentation.Batch;

namespace MRISpineSeg.Cli.Tests.Commands;

public sealed class BatchLinesTests
{
    private static readonly BatchCase[] Cases = Enumerable.Range(1, 4).Select(i => new BatchCase($"/in/Case{i}.nii.gz", $"/out/Case{i}.nii.gz", null, null)).ToArray();

    [Fact]
    public void OnATerminalABarWithAnEtaShouldFollowTheCasesAndBeClearedAtTheEnd()
    {
        var (io, stdout, stderr) = Io();
        var lines = new BatchLines(io, 4, interactive: true);

        lines.Report(new BatchEvent(Cases[0], 0, 4, BatchOutcome.Skipped, TimeSpan.Zero));
        lines.Report(new BatchEvent(Cases[1], 1, 4, BatchOutcome.Started, TimeSpan.Zero));
        Assert.Contains("[######..................] 1/4", stderr.ToString());
        Assert.EndsWith("ETA --:--  Case2.nii.gz", stderr.ToString());
        lines.Report(new BatchEvent(Cases[1], 1, 4, BatchOutcome.Failed, TimeSpan.FromSeconds(30), Error: "Case2.nii.gz: bad"));
        Assert.EndsWith("] 2/4  0:00  ETA 1:00", stderr.ToString()); // 30 s per case worked, 2 left
        lines.Clear();

        Assert.Contains("[2/4] FAILED Case2.nii.gz: Case2.nii.gz: bad\n", stderr.ToString().Replace("\r\n", "\n"));
        Assert.EndsWith("\r\u001b[K", stderr.ToString());
        Assert.Equal("[1/4] Case1.nii.gz: skipped, Case1.nii.gz and its files exist (--overwrite redoes it)", stdout.ToString().TrimEnd());
    }

    [Fact]
    public void OffATerminalOnlyPlainLinesShouldBeWritten()
    {
        var (io, stdout, stderr) = Io();
        var lines = new BatchLines(io, 4, interactive: false);

        lines.Report(new BatchEvent(Cases[0], 0, 4, BatchOutcome.Started, TimeSpan.Zero));
        lines.Report(new BatchEvent(Cases[0], 0, 4, BatchOutcome.Failed, TimeSpan.FromSeconds(1), Error: "x"));
        lines.Clear();

        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Equal("[1/4] FAILED Case1.nii.gz: x", stderr.ToString().TrimEnd());
        Assert.DoesNotContain('\r', stderr.ToString().TrimEnd());
    }

    private static (CommandIO Io, StringWriter Out, StringWriter Err) Io()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        return (new CommandIO(o, e), o, e);
    }
}
