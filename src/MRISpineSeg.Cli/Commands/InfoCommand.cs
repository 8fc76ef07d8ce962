using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Commands;

/// <summary><c>spineseg info FILE [--json]</c>: what the header says (reads only the header).</summary>
internal static class InfoCommand
{
    public static Command Create(CommandIO io)
    {
        var file = new Argument<string>("FILE") { Description = "A volume: .nii, .nii.gz, .mha or .mhd." };
        var json = new Option<bool>("--json") { Description = "Print JSON with keys shape, spacing, affine, datatype, orientation, qform_code, sform_code." };
        var cmd = new Command("info", "Print a volume's shape, spacing, RAS affine, datatype, orientation and qform/sform codes.") { file, json };
        cmd.SetAction(r => io.Guard(() => Run(io, r.GetValue(file)!, r.GetValue(json))));
        return cmd;
    }

    private static int Run(CommandIO io, string path, bool json)
    {
        CliParse.ExistingFile(path, "FILE");
        VolumeHeaderInfo info;
        using (var s = File.OpenRead(path))
        {
            info = VolumeIO.ReadHeader(s, path);
        }

        var g = info.Geometry;
        var h = info.NiftiHeader;
        if (json)
        {
            var doc = new Dictionary<string, object?>
            {
                ["file"] = Path.GetFileName(path),
                ["format"] = FormatName(info),
                ["shape"] = new[] { info.Shape.X, info.Shape.Y, info.Shape.Z },
                ["spacing"] = g.Spacing,
                ["affine"] = g.Affine.ToRows(),
                ["datatype"] = VoxelTypes.Name(info.VoxelType),
                ["orientation"] = g.Orientation,
                ["qform_code"] = h?.QformCode,
                ["sform_code"] = h?.SformCode,
                ["scl_slope"] = info.Scaling.IsIdentity ? null : info.Scaling.Slope,
                ["scl_inter"] = info.Scaling.IsIdentity ? null : info.Scaling.Intercept,
            };
            io.Out.WriteLine(JsonSerializer.Serialize(doc, Imaging.IO.FiniteJson.WithFiniteNumbers(new JsonSerializerOptions { WriteIndented = true })));
            return CommandIO.Success;
        }

        var ci = CultureInfo.InvariantCulture;
        io.Out.WriteLine($"file:        {Path.GetFileName(path)}");
        io.Out.WriteLine($"format:      {FormatName(info)}");
        io.Out.WriteLine($"shape:       {info.Shape.X} x {info.Shape.Y} x {info.Shape.Z}");
        io.Out.WriteLine(string.Format(ci, "spacing:     {0:0.####} x {1:0.####} x {2:0.####} mm", g.SpacingX, g.SpacingY, g.SpacingZ));
        io.Out.WriteLine($"datatype:    {VoxelTypes.Name(info.VoxelType)}");
        io.Out.WriteLine(info.Scaling.IsIdentity ? "scaling:     none" : string.Format(ci, "scaling:     slope {0:G9}, intercept {1:G9}", info.Scaling.Slope, info.Scaling.Intercept));
        io.Out.WriteLine($"orientation: {g.Orientation}");
        if (h is not null)
        {
            io.Out.WriteLine($"qform_code:  {h.QformCode}");
            io.Out.WriteLine($"sform_code:  {h.SformCode}");
        }

        var source = h is null ? "from LPS header" : "from " + NiftiGeometry.BestAffineSource(h);
        io.Out.WriteLine($"affine (RAS, {source}):");
        foreach (var line in g.Affine.ToString().Split(Environment.NewLine)) io.Out.WriteLine("  " + line);
        return CommandIO.Success;
    }

    private static string FormatName(VolumeHeaderInfo info)
        => info.NiftiHeader is { } h ? $"NIfTI-{h.Version}{(h.WasBigEndian ? " (big-endian)" : string.Empty)}" : "MetaImage";
}
