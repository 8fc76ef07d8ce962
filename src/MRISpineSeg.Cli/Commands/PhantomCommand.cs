using System.CommandLine;
using System.Diagnostics;
using MRISpineSeg.Phantoms;

namespace MRISpineSeg.Cli.Commands;

/// <summary><c>spineseg phantom --out DIR --count N --seed S --first-case C [--shape X,Y,Z] [--spacing sx,sy,sz]</c>.</summary>
internal static class PhantomCommand
{
    public static Command Create(CommandIO io)
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write Case{N}.nii.gz and mask_case{N}.nii.gz into.", Required = true };
        var count = new Option<int>("--count") { Description = "Number of phantoms (1..1000).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first phantom; the i-th uses seed + i, so the same seed always gives the same anatomy. It does not name the files (see --first-case).", DefaultValueFactory = _ => 1 };
        var firstCase = new Option<int>("--first-case") { Description = "Case number of the first phantom: files are Case{first-case + i}.nii.gz, whatever the seed (default 1).", DefaultValueFactory = _ => 1 };
        var defaults = new PhantomOptions();
        var shape = new Option<string>("--shape") { Description = "Grid X,Y,Z.", DefaultValueFactory = _ => $"{defaults.Shape.X},{defaults.Shape.Y},{defaults.Shape.Z}" };
        var spacing = new Option<string>("--spacing") { Description = "Voxel size sx,sy,sz in mm.", DefaultValueFactory = _ => string.Join(',', defaults.Spacing.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) };
        var cmd = new Command("phantom", "Write synthetic T2 lumbar-spine scans with exact ground-truth masks (challenge conventions: PSR, qform only).")
        {
            outDir, count, seed, firstCase, shape, spacing,
        };
        cmd.SetAction(r => io.Guard(() =>
        {
            var n = r.GetValue(count);
            if (n is < 1 or > 1000) throw new CliUsageException($"--count: {n} is out of range; use 1..1000");
            var first = r.GetValue(seed);
            if (first < 0 || first > int.MaxValue - n) throw new CliUsageException($"--seed: {first} is out of range; use 0..{int.MaxValue - n}");
            var firstNumber = r.GetValue(firstCase);
            if (firstNumber < 0 || firstNumber > 999_999 - n) throw new CliUsageException($"--first-case: {firstNumber} is out of range; use 0..{999_999 - n} (case numbers name files Case{{N}}.nii.gz)");
            var options = new PhantomOptions
            {
                Shape = CliParse.Shape(r.GetValue(shape), "--shape"),
                Spacing = CliParse.Triple(r.GetValue(spacing), "--spacing"),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message);
            }

            var dir = r.GetValue(outDir)!;
            for (var i = 0; i < n; i++)
            {
                var sw = Stopwatch.StartNew();
                var phantom = PhantomGenerator.Generate(first + i, options);
                var (scanPath, maskPath) = PhantomGenerator.WriteCase(phantom, dir, firstNumber + i);
                io.Out.WriteLine($"wrote {scanPath} and {Path.GetFileName(maskPath)} (seed {first + i}, {options.Shape}, {sw.ElapsedMilliseconds} ms)");
            }

            return CommandIO.Success;
        }));
        return cmd;
    }
}
