using System.CommandLine;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Commands;

/// <summary><c>spineseg resample IN OUT --shape X,Y,Z [--order 0|1]</c>: scipy.ndimage.zoom as PaddleSeg uses it.</summary>
internal static class ResampleCommand
{
    public static Command Create(CommandIO io)
    {
        var input = new Argument<string>("IN") { Description = "Input volume." };
        var output = new Argument<string>("OUT") { Description = "Output volume." };
        var shape = new Option<string>("--shape") { Description = "Output grid X,Y,Z, e.g. 512,512,12.", Required = true };
        var order = new Option<int>("--order") { Description = "1: trilinear, float32 output (images). 0: nearest, keeps the type (labels).", DefaultValueFactory = _ => 1 };
        var cmd = new Command("resample", "Resize a volume like scipy.ndimage.zoom(mode='nearest'), corner-aligned, keeping its world extent.") { input, output, shape, order };
        cmd.SetAction(r => io.Guard(() =>
        {
            var inPath = CliParse.ExistingFile(r.GetValue(input)!, "IN");
            var outPath = CliParse.OutputVolume(r.GetValue(output)!);
            var target = CliParse.Shape(r.GetValue(shape), "--shape");
            var o = CliParse.Order(r.GetValue(order));
            var options = o == 1 ? new VolumeReadOptions { ElementType = VoxelType.Float32 } : VolumeReadOptions.Default;
            var volume = VolumeIO.Read(inPath, options);
            var resized = Resampler.Zoom(volume, target, o);
            VolumeIO.Write(resized, outPath);
            io.Out.WriteLine($"wrote {outPath} ({volume.Shape} -> {resized.Shape}, order {o}, {VoxelTypes.Name(resized.VoxelType)})");
            return CommandIO.Success;
        }));
        return cmd;
    }
}
