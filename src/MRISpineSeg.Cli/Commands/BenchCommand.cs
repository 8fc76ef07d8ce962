using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg bench read FILE [--as float32|uint8|stored] [--repeat N] [--write OUT]</c>: times volume decoding
/// (and optionally encoding) in this process, for BENCHMARKS.md. Whole-process comparisons run it with --repeat 1.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CommandIO io)
    {
        var bench = new Command("bench", "Measure speed of the imaging core (see BENCHMARKS.md).");
        var file = new Argument<string>("FILE") { Description = "Volume to read." };
        var asType = new Option<string>("--as") { Description = "Element type to decode into: float32 (get_fdata), uint8 (labels) or stored.", DefaultValueFactory = _ => "float32" };
        var repeat = new Option<int>("--repeat") { Description = "Number of timed reads (1..1000).", DefaultValueFactory = _ => 1 };
        var write = new Option<string?>("--write") { Description = "Also write the volume to this path each time and time it." };
        var read = new Command("read", "Decode a volume N times and print the time per read.") { file, asType, repeat, write };
        read.SetAction(r => io.Guard(() => Run(io, r.GetValue(file)!, r.GetValue(asType)!, r.GetValue(repeat), r.GetValue(write))));
        bench.Subcommands.Add(read);
        return bench;
    }

    private static int Run(CommandIO io, string path, string asType, int repeat, string? writePath)
    {
        CliParse.ExistingFile(path, "FILE");
        if (repeat is < 1 or > 1000) throw new CliUsageException($"--repeat: {repeat} is out of range; use 1..1000");
        VoxelType? type = asType.Equals("stored", StringComparison.OrdinalIgnoreCase) ? null
            : VoxelTypes.TryParse(asType, out var t) ? t
            : throw new CliUsageException($"--as: \"{asType}\" is not an element type; use float32, uint8, int16, ... or stored");
        if (writePath is not null) CliParse.OutputVolume(writePath);
        var options = new VolumeReadOptions { ElementType = type };
        var ci = CultureInfo.InvariantCulture;
        for (var i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            var v = VolumeIO.Read(path, options);
            var readMs = sw.Elapsed.TotalMilliseconds;
            var line = string.Format(ci, "read {0} as {1}: {2:0.0} ms ({3:0} MB/s decoded)", v.Shape, VoxelTypes.Name(v.VoxelType), readMs, v.Voxels.Length * (double)VoxelTypes.SizeOf(v.VoxelType) / 1e6 / (readMs / 1000));
            if (writePath is not null)
            {
                sw.Restart();
                VolumeIO.Write(v, writePath);
                line += string.Format(ci, "; write {0:0.0} ms", sw.Elapsed.TotalMilliseconds);
            }

            io.Out.WriteLine(line);
        }

        return CommandIO.Success;
    }
}
