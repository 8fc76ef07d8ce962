using System.CommandLine;
using MRISpineSeg.Imaging;

namespace MRISpineSeg.Cli.Commands;

/// <summary><c>spineseg convert IN OUT</c>: lossless format conversion by extension.</summary>
internal static class ConvertCommand
{
    public static Command Create(CommandIO io)
    {
        var input = new Argument<string>("IN") { Description = "Input volume (.nii, .nii.gz, .mha, .mhd)." };
        var output = new Argument<string>("OUT") { Description = "Output volume; the extension picks the format." };
        var cmd = new Command("convert", "Convert between NIfTI and MetaImage, keeping datatype, voxels, scaling and geometry.") { input, output };
        cmd.SetAction(r => io.Guard(() =>
        {
            var inPath = CliParse.ExistingFile(r.GetValue(input)!, "IN");
            var outPath = CliParse.OutputVolume(r.GetValue(output)!);
            var volume = VolumeIO.Read(inPath);
            VolumeIO.Write(volume, outPath);
            io.Out.WriteLine($"wrote {outPath} ({volume.Shape}, {Imaging.Volumes.VoxelTypes.Name(volume.VoxelType)})");
            return CommandIO.Success;
        }));
        return cmd;
    }
}
