using System.Diagnostics;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Tests.Commands;

/// <summary><c>spineseg segment IN_DIR OUT_DIR</c> and <c>segment A B … OUT_DIR</c>, in-process and, for Ctrl-C, as a real process.</summary>
public sealed class SegmentFolderCommandTests(SegmentCliFixture f) : IClassFixture<SegmentCliFixture>
{
    [Fact]
    public void AFolderShouldBeSegmentedCaseByCaseWithPerCaseFilesAndRerunsSkipped()
    {
        using var d = new Dirs();
        for (var i = 1; i <= 3; i++) d.Scan($"Case{i}.nii.gz", i);
        d.Scan("mask_case1.nii.gz", 9);

        var (code, stdout, stderr) = Run("segment", d.In, d.Out, "--model", f.Model, "--preview", "--stats", "--threads", "1");

        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("[1/3] Case1.nii.gz -> ", lines[0]);
        Assert.StartsWith("[3/3] Case3.nii.gz -> ", lines[2]);
        Assert.StartsWith("segmented 3 of 3 scans into ", lines[3]);
        Assert.Contains("note: skipped 1 mask (mask_*, not scans): mask_case1.nii.gz", stderr);
        foreach (var stem in new[] { "Case1", "Case2", "Case3" })
        {
            Assert.Equal(VoxelType.UInt8, VolumeIO.Read(Path.Combine(d.Out, stem + ".nii.gz")).VoxelType);
            Assert.True(File.Exists(Path.Combine(d.Out, stem + ".preview.png")));
            Assert.True(File.Exists(Path.Combine(d.Out, stem + ".stats.json")));
        }

        var again = Run("segment", d.In, d.Out, "--model", Path.Combine(d.Root, "absent.onnx"), "--preview", "--stats");
        Assert.Equal(0, again.Code); // nothing to do, so not even the model is opened
        Assert.Contains("[2/3] Case2.nii.gz: skipped", again.Out);
        Assert.Contains("segmented 0 of 3 scans", again.Out);
        Assert.Contains("all 3 skipped", again.Out);

        var forced = Run("segment", d.In, d.Out, "--model", f.Model, "--overwrite");
        Assert.Equal(0, forced.Code);
        Assert.Contains("segmented 3 of 3 scans", forced.Out);
    }

    [Fact]
    public void FailingScansShouldEachTakeOneLineAndMakeTheExitCodeNonZero()
    {
        using var d = new Dirs();
        d.Scan("Case1.nii.gz", 1);
        File.WriteAllText(Path.Combine(d.In, "Case2.nii.gz"), "not a scan");
        File.WriteAllBytes(Path.Combine(d.In, "Case3.nii"), []);
        d.Scan("Case4.nii.gz", 4);

        var (code, stdout, stderr) = Run("segment", d.In, d.Out, "--model", f.Model);

        Assert.Equal(1, code);
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("[2/4] FAILED Case2.nii.gz: ", StringComparison.Ordinal));
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("[3/4] FAILED Case3.nii: ", StringComparison.Ordinal));
        Assert.Contains("spineseg: error: 2 of 4 scans failed: Case2.nii.gz, Case3.nii", stderr);
        Assert.Contains("segmented 2 of 4 scans", stdout);
        Assert.Contains("2 failed: Case2.nii.gz, Case3.nii", stdout);
        Assert.True(File.Exists(Path.Combine(d.Out, "Case4.nii.gz")));
        Assert.False(File.Exists(Path.Combine(d.Out, "Case2.nii.gz")));
    }

    [Fact]
    public void SeveralScansShouldGoIntoOneFolder()
    {
        using var d = new Dirs();
        var a = d.Scan("Case5.nii.gz", 5);
        var b = d.Scan("Case6.mha", 6);

        var (code, stdout, stderr) = Run("segment", a, b, d.Out, "--model", f.Model, "--stats");

        Assert.True(code == 0, stderr);
        Assert.Contains("segmented 2 of 2 scans", stdout);
        Assert.True(File.Exists(Path.Combine(d.Out, "Case5.nii.gz")));
        Assert.True(File.Exists(Path.Combine(d.Out, "Case6.nii.gz")));
        Assert.True(File.Exists(Path.Combine(d.Out, "Case6.stats.json")));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("inside")]
    [InlineData("same")]
    [InlineData("preview-path")]
    [InlineData("mask-file")]
    public void MistakenRunsShouldBeRefusedBeforeAnythingIsWritten(string mistake)
    {
        using var d = new Dirs();
        if (mistake != "empty") d.Scan("Case1.nii.gz", 1);
        string[] args = mistake switch
        {
            "empty" => ["segment", d.In, d.Out],
            "inside" => ["segment", d.In, Path.Combine(d.In, "masks")],
            "same" => ["segment", d.In, d.In],
            "preview-path" => ["segment", d.In, d.Out, "--preview", "p.png"],
            _ => ["segment", d.In, Path.Combine(d.Root, "masks.nii.gz")],
        };
        var expected = mistake switch
        {
            "empty" => "holds no scans",
            "inside" => "lies inside the input folder",
            "same" => "is the input folder itself",
            "preview-path" => "give the flag without a path",
            _ => "looks like a mask file",
        };
        var before = Directory.GetFileSystemEntries(d.Root, "*", SearchOption.AllDirectories).Order().ToArray();

        var (code, _, stderr) = Run([.. args, "--model", f.Model]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.Equal(before, Directory.GetFileSystemEntries(d.Root, "*", SearchOption.AllDirectories).Order().ToArray());
    }

    [Fact]
    public async Task CtrlCShouldKeepFinishedCasesAndLeaveNoTemporaryFile()
    {
        if (!OperatingSystem.IsLinux()) return; // SIGINT is sent with kill(1)
        using var d = new Dirs();
        const int cases = 40;
        for (var i = 1; i <= cases; i++) d.Scan($"Case{i}.nii.gz", i);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "spineseg.dll"), "segment", d.In, d.Out, "--model", f.Model, "--preview", "--threads", "1" })
            psi.ArgumentList.Add(a);
        psi.Environment[HugePageRelaunch.OptOutVariable] = "0"; // one process, so the signal reaches the one that works
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var first = await p.StandardOutput.ReadLineAsync();
        Assert.StartsWith("[1/40] Case1.nii.gz", first);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        var rest = await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        var errors = await stderr;

        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {rest} {errors}");
        Assert.Contains("interrupted", errors);
        Assert.Empty(Directory.EnumerateFiles(d.Root, "*.tmp-*", SearchOption.AllDirectories));
        var masks = Directory.GetFiles(d.Out, "*.nii.gz");
        Assert.InRange(masks.Length, 1, cases - 1);
        foreach (var m in masks)
        {
            Assert.Equal(VoxelType.UInt8, VolumeIO.Read(m).VoxelType);
            Assert.True(File.Exists(m[..^".nii.gz".Length] + ".preview.png"), m);
        }

        var resumed = Run("segment", d.In, d.Out, "--model", f.Model, "--preview");
        Assert.Equal(0, resumed.Code);
        Assert.Contains($"segmented {cases - masks.Length} of {cases} scans", resumed.Out);
        Assert.Contains($"{masks.Length} skipped", resumed.Out);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private sealed class Dirs : IDisposable
    {
        public Dirs()
        {
            Root = Directory.CreateTempSubdirectory("seg-folder-").FullName;
            In = Directory.CreateDirectory(Path.Combine(Root, "in")).FullName;
            Out = Path.Combine(Root, "out");
        }

        public string Root { get; }

        public string In { get; }

        public string Out { get; }

        public string Scan(string name, int seed)
            => SegmentCommandTests.WriteScan(Path.Combine(In, name), new Shape3(30, 28, 6), i => (short)(((i * 37) + (seed * 101)) % 1900 + 1));

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
